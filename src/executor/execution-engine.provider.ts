// How Nest builds the execution engine: over the Kafka gateway and the execution store in Redis,
// with the load monitor's newest windows as the broker traffic adaptive throttles are sized from.
import { Logger, type FactoryProvider } from '@nestjs/common';
import { describeError } from '../common/index.js';
import { BallastConfig } from '../config/index.js';
import { KafkaGateway } from '../kafka/index.js';
import { LoadMonitorService } from '../monitor/index.js';
import { ExecutionEngine } from './execution-engine.js';
import { RedisExecutionStore } from './redis-execution-store.js';
import { brokerTrafficOf, type BrokerTraffic } from './throttle/index.js';

const logger = new Logger('Executor');

export const executionEngineProvider: FactoryProvider<ExecutionEngine> = {
  provide: ExecutionEngine,
  inject: [KafkaGateway, RedisExecutionStore, BallastConfig, LoadMonitorService],
  useFactory: (
    gateway: KafkaGateway,
    store: RedisExecutionStore,
    config: BallastConfig,
    monitor: LoadMonitorService,
  ): ExecutionEngine => {
    const { pauseOnClusterTrouble, adaptiveThrottle } = config.executor;
    return new ExecutionEngine(gateway, store, Date.now, {
      pauseOnClusterTrouble,
      adaptiveThrottle,
      brokerTraffic: () => brokerTraffic(monitor, config),
    });
  },
};

/**
 * Each broker's capacity and client traffic from the load monitor's newest windows, for adaptive
 * throttles; null while the monitor has no model (the execution's static rate then stands in).
 */
function brokerTraffic(monitor: LoadMonitorService, config: BallastConfig): Map<number, BrokerTraffic> | null {
  try {
    const windowMs = config.monitor.windowMs;
    // The newest complete windows: the live traffic, not the average of the whole history.
    const workload = monitor.workload({
      mode: 'avg',
      fromMs: Date.now() - 2 * windowMs,
      allowCapacityEstimation: true,
    });
    return brokerTrafficOf(workload);
  } catch (error) {
    logger.warn({ msg: 'no broker traffic for adaptive throttles', error: describeError(error) });
    return null;
  }
}

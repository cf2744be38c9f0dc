// The anomaly detector stage: detectors over Kafka snapshots and the load monitor's model, the
// self-healing policy under the N-1 failure budget, heals on the operations' path,
// alerts, and the detector's state in Redis.
import { Module } from '@nestjs/common';
import { AnalyzerModule } from '../analyzer/index.js';
import { KafkaModule } from '../kafka/index.js';
import { MonitorModule } from '../monitor/index.js';
import { OperationsModule } from '../operations/index.js';
import { RedisModule } from '../redis/index.js';
import { DetectorRunner } from './detector-runner.service.js';
import { AnomalyDetectorService } from './anomaly-detector.service.js';
import { AnomalyNotifier } from './anomaly-notifier.service.js';
import { DetectorStore } from './detector-store.js';
import { RedisDetectorStore } from './redis-detector-store.js';
import { SelfHealer } from './self-healer.service.js';

@Module({
  imports: [KafkaModule, RedisModule, MonitorModule, AnalyzerModule, OperationsModule],
  providers: [
    DetectorRunner,
    SelfHealer,
    AnomalyNotifier,
    RedisDetectorStore,
    { provide: DetectorStore, useExisting: RedisDetectorStore },
    AnomalyDetectorService,
  ],
  exports: [AnomalyDetectorService],
})
export class DetectorModule {}

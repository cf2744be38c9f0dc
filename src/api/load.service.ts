// The load endpoints' logic: asks the load monitor for a workload and shapes it as Cruise Control does.
import { Injectable } from '@nestjs/common';
import { LoadMonitorNotReadyError, LoadMonitorService, type LoadMode, type Workload } from '../monitor/index.js';
import { InvalidParameterError } from './api.errors.js';
import { brokerStats, brokerStatsText, type BrokerStats } from './broker-stats.js';
import {
  partitionLoadState,
  partitionLoadText,
  type PartitionLoadFilter,
  type PartitionLoadState,
} from './partition-load.js';

export interface BrokerStatsRequest {
  fromMs?: number;
  toMs?: number;
  /** The parameter that gave `toMs` (`end`, or `time` for /load), named when the range holds no data. @defaultValue end */
  toParameter?: string;
  allowCapacityEstimation: boolean;
  populateDiskInfo: boolean;
  capacityOnly: boolean;
}

export interface PartitionLoadRequest extends Omit<PartitionLoadFilter, 'brokerIds'> {
  brokerIds?: number[];
  fromMs?: number;
  toMs?: number;
  minValidPartitionRatio: number;
  mode: LoadMode;
}

@Injectable()
export class LoadService {
  constructor(private readonly monitor: LoadMonitorService) {}

  brokerStats(request: BrokerStatsRequest): BrokerStats {
    const workload = this.inRange(request, () =>
      this.monitor.workload({
        mode: 'expected',
        fromMs: request.fromMs,
        toMs: request.toMs,
        allowCapacityEstimation: request.allowCapacityEstimation,
        capacityOnly: request.capacityOnly,
      }),
    );
    return brokerStats(workload, { populateDiskInfo: request.populateDiskInfo, capacityOnly: request.capacityOnly });
  }

  brokerStatsText(stats: BrokerStats): string {
    return brokerStatsText(stats);
  }

  partitionLoad(request: PartitionLoadRequest): PartitionLoadState {
    const workload = this.inRange(request, () =>
      this.monitor.workload({
        mode: request.mode,
        fromMs: request.fromMs,
        toMs: request.toMs,
        minValidPartitionRatio: request.minValidPartitionRatio,
        // Partition loads do not depend on broker capacities, so an estimate changes nothing here.
        allowCapacityEstimation: true,
      }),
    );
    const unknown = (request.brokerIds ?? []).filter((id) => !workload.brokers.has(id));
    if (unknown.length > 0) {
      throw new InvalidParameterError(
        'brokerid',
        `Parameter 'brokerid' names unknown broker(s): ${unknown.join(', ')}`,
      );
    }
    return partitionLoadState(workload, {
      ...request,
      brokerIds: request.brokerIds ? new Set(request.brokerIds) : undefined,
    });
  }

  partitionLoadText(state: PartitionLoadState): string {
    return partitionLoadText(state);
  }

  /**
   * A start/end range holding no valid window, while the monitor has valid windows elsewhere, is
   * the request's fault: a 400 naming the range, not the monitor's 503 (retrying would not help).
   */
  private inRange(
    request: { fromMs?: number; toMs?: number; toParameter?: string },
    workload: () => Workload,
  ): Workload {
    try {
      return workload();
    } catch (error) {
      if (
        !(error instanceof LoadMonitorNotReadyError) ||
        (request.fromMs === undefined && request.toMs === undefined)
      ) {
        throw error;
      }
      let windowStartsMs: number[];
      try {
        windowStartsMs = this.monitor.workload({ mode: 'expected', allowCapacityEstimation: true }).windowStartsMs;
      } catch {
        throw error;
      }
      const iso = (ms: number | undefined) => (ms === undefined ? 'unbounded' : new Date(ms).toISOString());
      const parameter = request.toMs !== undefined ? (request.toParameter ?? 'end') : 'start';
      throw new InvalidParameterError(
        parameter,
        `No valid load window from ${iso(request.fromMs)} to ${iso(request.toMs)}: the valid windows start from ${iso(Math.min(...windowStartsMs))} to ${iso(Math.max(...windowStartsMs))}. Ask for a range that covers some, or leave start and end out`,
      );
    }
  }
}

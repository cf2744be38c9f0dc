// The load endpoints' logic: asks the load monitor for a workload and shapes it as Cruise Control does.
import { Injectable } from '@nestjs/common';
import { LoadMonitorService, type LoadMode } from '../monitor/index.js';
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
    const workload = this.monitor.workload({
      mode: 'expected',
      fromMs: request.fromMs,
      toMs: request.toMs,
      allowCapacityEstimation: request.allowCapacityEstimation,
      capacityOnly: request.capacityOnly,
    });
    return brokerStats(workload, { populateDiskInfo: request.populateDiskInfo, capacityOnly: request.capacityOnly });
  }

  brokerStatsText(stats: BrokerStats): string {
    return brokerStatsText(stats);
  }

  partitionLoad(request: PartitionLoadRequest): PartitionLoadState {
    const workload = this.monitor.workload({
      mode: request.mode,
      fromMs: request.fromMs,
      toMs: request.toMs,
      minValidPartitionRatio: request.minValidPartitionRatio,
      // Partition loads do not depend on broker capacities, so an estimate changes nothing here.
      allowCapacityEstimation: true,
    });
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
}

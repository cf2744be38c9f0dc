// Cruise Control's GET /load and GET /partition_load.
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InvalidParameterError } from './api.errors.js';
import { topicPattern } from './kafka-cluster-state.controller.js';
import { LoadService } from './load.service.js';
import { PARTITION_LOAD_RESOURCES, type PartitionLoadResource } from './partition-load.js';
import { parseQuery } from './query-params.js';
import { UserTaskService } from './user-tasks/user-task.service.js';

const EPOCH_MS = { kind: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER } as const;
const COMMON = {
  json: { kind: 'boolean', default: false },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
  reason: { kind: 'string' },
} as const;

export const LOAD_PARAMS = {
  start: { kind: 'integer', min: -1, max: Number.MAX_SAFE_INTEGER },
  end: EPOCH_MS,
  time: EPOCH_MS,
  allow_capacity_estimation: { kind: 'boolean', default: true },
  populate_disk_info: { kind: 'boolean', default: false },
  capacity_only: { kind: 'boolean', default: false },
  ...COMMON,
} as const;

export const PARTITION_LOAD_PARAMS = {
  resource: { kind: 'enum', values: PARTITION_LOAD_RESOURCES },
  start: { kind: 'integer', min: -1, max: Number.MAX_SAFE_INTEGER },
  end: EPOCH_MS,
  entries: { kind: 'integer', min: 1, max: 2_147_483_647 },
  topic: { kind: 'string' },
  partition: { kind: 'string' },
  min_valid_partition_ratio: { kind: 'number', min: 0, max: 1 },
  allow_capacity_estimation: { kind: 'boolean', default: false },
  max_load: { kind: 'boolean', default: false },
  avg_load: { kind: 'boolean', default: false },
  brokerid: { kind: 'integerList', min: 0, max: 2_147_483_647 },
  ...COMMON,
} as const;

@Controller('kafkacruisecontrol')
export class LoadController {
  constructor(
    private readonly load: LoadService,
    private readonly userTasks: UserTaskService,
  ) {}

  @Get('load')
  async brokerLoad(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const p = parseQuery('GET /kafkacruisecontrol/load', LOAD_PARAMS, query);
    if (p.time !== undefined && p.end !== undefined) {
      throw new InvalidParameterError('time', "Parameters 'time' and 'end' are mutually exclusive");
    }
    return this.userTasks.respond('load', p.json, request, response, () => {
      const stats = this.load.brokerStats({
        fromMs: p.start === undefined || p.start < 0 ? undefined : p.start,
        toMs: p.end ?? p.time,
        toParameter: p.time !== undefined ? 'time' : 'end',
        allowCapacityEstimation: p.allow_capacity_estimation,
        populateDiskInfo: p.populate_disk_info,
        capacityOnly: p.capacity_only,
      });
      return p.json ? stats : this.load.brokerStatsText(stats);
    });
  }

  @Get('partition_load')
  async partitionLoad(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const p = parseQuery('GET /kafkacruisecontrol/partition_load', PARTITION_LOAD_PARAMS, query);
    if (p.max_load && p.avg_load) {
      throw new InvalidParameterError('avg_load', "Parameters 'max_load' and 'avg_load' cannot both be true");
    }
    const topic = topicPattern(p.topic);
    const partitions = partitionRange(p.partition);
    return this.userTasks.respond('partition_load', p.json, request, response, () => {
      const state = this.load.partitionLoad({
        resource: (p.resource ?? 'disk') as PartitionLoadResource,
        entries: p.entries ?? 2_147_483_647,
        topic,
        partitions,
        brokerIds: p.brokerid,
        fromMs: p.start === undefined || p.start < 0 ? undefined : p.start,
        toMs: p.end,
        minValidPartitionRatio: p.min_valid_partition_ratio ?? 0.98,
        mode: p.max_load ? 'max' : p.avg_load ? 'avg' : 'expected',
      });
      return p.json ? state : this.load.partitionLoadText(state);
    });
  }
}

/** `7` or `0-9` (inclusive), as Cruise Control's `partition` parameter. */
function partitionRange(raw: string | undefined): { from: number; to: number } | undefined {
  if (raw === undefined) return undefined;
  const match = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(raw);
  const from = Number(match?.[1]);
  const to = match?.[2] === undefined ? from : Number(match[2]);
  if (!match || !Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from) {
    throw new InvalidParameterError(
      'partition',
      `Parameter 'partition' must be a number or a range like 0-9, got '${raw}'`,
    );
  }
  return { from, to };
}

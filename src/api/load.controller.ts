// Cruise Control's GET /load and GET /partition_load.
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InvalidParameterError } from './api.errors.js';
import { LoadService } from './load.service.js';
import type { PartitionLoadResource } from './partition-load.js';
import { parseQuery, topicPattern } from './query-params.js';
import { UserTaskService } from './user-tasks/user-task.service.js';
import { LOAD_PARAMS, PARTITION_LOAD_PARAMS } from './endpoint-params.js';

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

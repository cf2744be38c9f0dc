// The API's half of the operation path: each endpoint's query becomes one typed operation and run
// options, and the analyzer's refusals are told as the HTTP parameter the client sent.
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { UnknownBrokerError, UnknownLogDirError } from '../../../src/analyzer/index.js';
import { OperationRequestService } from '../../../src/api/operation-request.service.js';
import {
  addBrokerRequest,
  demoteBrokerRequest,
  fixOfflineReplicasRequest,
  proposalsRequest,
  rebalanceRequest,
  removeBrokerRequest,
  removeDisksRequest,
  topicConfigurationRequest,
} from '../../../src/api/operation-requests.js';
import type { ReviewService } from '../../../src/api/review/review.service.js';
import type { UserTaskService } from '../../../src/api/user-tasks/user-task.service.js';
import type { OperationService } from '../../../src/operations/index.js';

describe('operation requests', () => {
  it('turns each endpoint into its operation, with Cruise Control defaults', () => {
    expect(rebalanceRequest({}).operation).toMatchObject({ kind: 'rebalance', rebalanceDisk: false });
    expect(rebalanceRequest({}).run).toMatchObject({ dryrun: true, reason: 'rebalance' });
    expect(addBrokerRequest({ brokerid: '4,5', dryrun: 'false' })).toMatchObject({
      operation: { kind: 'add_broker', brokerIds: [4, 5] },
      run: { dryrun: false, overrides: { throttle: true } },
    });
    expect(
      removeBrokerRequest({ brokerid: '1', destination_broker_ids: '2', throttle_removed_broker: 'false' }),
    ).toMatchObject({
      operation: { kind: 'remove_broker', brokerIds: [1], destinationBrokerIds: [2] },
      run: { overrides: { throttle: false } },
    });
    expect(fixOfflineReplicasRequest({ goals: 'RackAwareGoal' }).operation).toMatchObject({
      kind: 'fix_offline_replicas',
      goals: ['RackAwareGoal'],
    });
    expect(removeDisksRequest({ brokerid_and_logdirs: '1-/data/a' }).operation).toMatchObject({
      kind: 'remove_disks',
      disks: [{ brokerId: 1, logDir: '/data/a' }],
    });
    expect(demoteBrokerRequest({ brokerid: '3' })).toMatchObject({
      operation: { kind: 'demote_broker', brokerIds: [3], skipUrpDemotion: true },
      run: { overrides: { throttle: false } },
    });
    const rf = topicConfigurationRequest({ topic: 'a.*', excluded_topics: 'ab', replication_factor: '3' }).operation;
    expect(rf).toMatchObject({ kind: 'topic_configuration', replicationFactor: 3 });
    const pattern = (rf as { topicPattern: RegExp }).topicPattern;
    expect(['a', 'ab', 'ac'].filter((t) => pattern.test(t))).toEqual(['a', 'ac']);
    expect(proposalsRequest({ excluded_topics: 'x' })).toMatchObject({
      endpoint: 'proposals',
      operation: { kind: 'rebalance' },
      run: { dryrun: true },
    });
  });

  it('refuses bad input before anything is held or run, naming the parameter', () => {
    expect(() => addBrokerRequest({})).toThrow("Parameter 'brokerid' is required");
    expect(() => rebalanceRequest({ kafka_assigner: 'true' })).toThrow("Parameter 'kafka_assigner' is not supported");
    expect(() => rebalanceRequest({ data_from: 'VALID_PARTITIONS' })).toThrow("Parameter 'data_from'");
    expect(() => topicConfigurationRequest({ topic: 'a', replication_factor: '2', goals: 'RackAwareGoal' })).toThrow(
      "Parameter 'goals' is not supported by topic_configuration",
    );
  });
});

describe('OperationRequestService', () => {
  /** The service over a user task that runs the work at once, and an operation path that refuses with `error`. */
  function refusing(error: Error): Promise<unknown> {
    const operations = { run: () => Promise.reject(error) } as unknown as OperationService;
    const userTasks = {
      respond: async (
        _e: string,
        _j: boolean,
        _q: Request,
        _s: Response,
        work: (task: unknown) => Promise<unknown>,
      ) => {
        await work({ step: () => undefined, inExecution: () => undefined });
      },
    } as unknown as UserTaskService;
    const reviews = { hold: () => undefined } as unknown as ReviewService;
    const service = new OperationRequestService(operations, userTasks, reviews);
    return service.handle(addBrokerRequest({ brokerid: '9' }), {} as Request, {} as Response);
  }

  it('tells the analyzer refusals as the HTTP parameter that named the brokers or log dirs', async () => {
    await expect(refusing(new UnknownBrokerError('brokers', [9]))).rejects.toMatchObject({
      parameter: 'brokerid',
      message: "Parameter 'brokerid' names broker(s) the cluster does not have: 9",
    });
    await expect(refusing(new UnknownBrokerError('destinationBrokers', [7]))).rejects.toMatchObject({
      parameter: 'destination_broker_ids',
    });
    await expect(refusing(new UnknownLogDirError(['1-/x']))).rejects.toMatchObject({
      parameter: 'brokerid_and_logdirs',
      message: "Parameter 'brokerid_and_logdirs' names 1-/x: the cluster has no such log dir",
    });
  });
});

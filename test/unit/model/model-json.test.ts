// The ballast-model/1 JSON format: exact round trips and rejections naming the bad field's path.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BrokerState,
  ClusterModel,
  generateSyntheticModel,
  MODEL_JSON_FORMAT,
  ModelBuilder,
  ModelBuildError,
  ModelJsonError,
  modelFromJson,
  modelToJson,
  type ModelArrays,
  type ModelJson,
} from '../../../src/model/index.js';
import { randomModel } from '../../fixtures/random-model.js';

const ARRAYS: (keyof ModelArrays)[] = [
  'brokerRack',
  'brokerState',
  'brokerCapacity',
  'diskBroker',
  'diskCapacityMb',
  'diskAlive',
  'partitionTopic',
  'partitionNumber',
  'partitionReplicaStart',
  'replicaPartition',
  'replicaBroker',
  'replicaDisk',
  'originalBroker',
  'originalDisk',
  'partitionLeader',
  'originalLeader',
  'leaderLoad',
  'followerLoad',
  'brokerLoad',
  'rackLoad',
  'diskLoadMb',
  'brokerReplicaCount',
  'brokerLeaderCount',
];

function expectSameModel(actual: ClusterModel, expected: ClusterModel): void {
  expect(actual.tables).toEqual(expected.tables);
  for (const key of ARRAYS) expect(actual[key], key).toEqual(expected[key]);
}

// A JSON text round trip, as a file would go.
function throughText(model: ClusterModel): ClusterModel {
  return modelFromJson(JSON.parse(JSON.stringify(modelToJson(model))));
}

function expectJsonError(json: unknown, path: string, message?: RegExp): void {
  let error: unknown;
  try {
    modelFromJson(json);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ModelJsonError);
  expect(error).toBeInstanceOf(ModelBuildError);
  expect((error as ModelJsonError).path).toBe(path);
  expect((error as ModelJsonError).message.startsWith(`${path}: `)).toBe(true);
  if (message) expect((error as ModelJsonError).message).toMatch(message);
}

function smallJson(): ModelJson {
  return JSON.parse(
    JSON.stringify(modelToJson(generateSyntheticModel({ brokers: 4, topics: 2, partitions: 5 }))),
  ) as ModelJson;
}

const DELETE = Symbol('delete');

// A fresh small document with the field at `path` set to `value` (or deleted).
function edited(path: readonly (string | number)[], value: unknown): unknown {
  const json = smallJson();
  let node = json as unknown as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === DELETE) delete node[last];
  else node[last] = value;
  return json;
}

describe('model JSON', () => {
  it('round-trips a synthetic model exactly, through JSON text', () => {
    for (const skew of ['none', 'hot-broker', 'new-empty-broker', 'hot-disk'] as const) {
      const model = generateSyntheticModel({ seed: 9, brokers: 7, partitions: 300, skew });
      expectSameModel(throughText(model), model);
    }
  });

  it('round-trips odd models: offline partitions, unknown disks, dead brokers, non-dense ids', () => {
    for (const seed of [1, 7, 42]) {
      const model = randomModel(seed);
      expectSameModel(throughText(model), model);
    }
  });

  it('keeps racks without brokers and writes states and disks by name', () => {
    const builder = new ModelBuilder();
    builder.addRack('empty');
    builder.addBroker({
      kafkaId: 5,
      rack: 'r1',
      capacity: [100, 1, 2, 3],
      state: BrokerState.NEW | BrokerState.DEMOTED,
    });
    builder.addDisk({ broker: 5, path: '/d', capacityMb: 3, alive: false });
    builder.addPartition({
      topic: 't',
      partition: 0,
      replicas: [{ broker: 5 }],
      leaderIndex: -1,
      leaderLoad: [1, 2, 3, 4],
      followerLoad: [0.5, 2, 0, 4],
    });
    const model = builder.build();
    const json = modelToJson(model);
    expect(json).toEqual({
      format: MODEL_JSON_FORMAT,
      racks: ['empty', 'r1'],
      brokers: [
        { kafkaId: 5, rack: 'r1', state: ['NEW', 'DEMOTED'], capacity: { CPU: 100, NW_IN: 1, NW_OUT: 2, DISK: 3 } },
      ],
      disks: [{ broker: 5, path: '/d', capacityMb: 3, alive: false }],
      partitions: [
        {
          topic: 't',
          partition: 0,
          replicas: [[5, null]],
          leaderIndex: -1,
          leaderLoad: { CPU: 1, NW_IN: 2, NW_OUT: 3, DISK: 4 },
          followerLoad: { CPU: 0.5, NW_IN: 2, NW_OUT: 0, DISK: 4 },
        },
      ],
    });
    expectSameModel(modelFromJson(json), model);
  });

  it('saves the current placement, which becomes the loaded model’s original', () => {
    const model = generateSyntheticModel({ seed: 3, brokers: 6, partitions: 50 });
    const r = model.partitionReplicaStart[0]!;
    const target = Array.from({ length: model.brokerCount }, (_, b) => b).find((b) => model.replicaOnBroker(0, b) < 0)!;
    model.moveReplica(r + 1, target);
    model.moveLeadership(0, r + 1);
    const loaded = throughText(model);
    expect(loaded.replicaBroker).toEqual(model.replicaBroker);
    expect(loaded.originalBroker).toEqual(model.replicaBroker);
    expect(loaded.partitionLeader).toEqual(model.partitionLeader);
    expect(loaded.originalLeader).toEqual(model.partitionLeader);
    // Incremental aggregates drift by rounding; recomputed ones match the loaded model exactly.
    model.resyncAggregates();
    expect(loaded.brokerLoad).toEqual(model.brokerLoad);
    expect(loaded.diskLoadMb).toEqual(model.diskLoadMb);
    expect(loaded.diff()).toEqual([]);
    expect(loaded.mark()).toBe(0);
  });

  it('loads the example of docs/model-format.md', () => {
    const doc = readFileSync(new URL('../../../docs/model-format.md', import.meta.url), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(doc)![1]!;
    const model = modelFromJson(JSON.parse(example));
    expect(model.brokerCount).toBe(2);
    expect(model.brokerHas(1, BrokerState.NEW)).toBe(true);
    expect(model.brokerLeaderCount[1]).toBe(1);
    expect(modelToJson(model)).toEqual(JSON.parse(example));
  });

  it('refuses other format versions and non-objects', () => {
    expectJsonError({ ...smallJson(), format: 'ballast-model/2' }, 'format', /unsupported format "ballast-model\/2"/);
    expectJsonError({ racks: [] }, 'format', /unsupported format undefined/);
    expectJsonError([], '$');
    expectJsonError(null, '$');
  });

  it('names the JSON path of a field of the wrong type or an unknown key', () => {
    expectJsonError(edited(['brokers', 1, 'capacity', 'NW_IN'], 'fast'), 'brokers[1].capacity.NW_IN');
    expectJsonError(edited(['brokers', 0, 'state'], ['ALIVE', 'SLEEPY']), 'brokers[0].state[1]');
    expectJsonError(edited(['partitions', 2, 'replicas', 1, 1], 7), 'partitions[2].replicas[1][1]');
    expectJsonError(edited(['partitions', 0, 'leaderIndex'], -2), 'partitions[0].leaderIndex');
    expectJsonError(edited(['partitions', 0, 'partition'], 1.5), 'partitions[0].partition');
    expectJsonError(edited(['disks', 3, 'alive'], 1), 'disks[3].alive');
    expectJsonError(edited(['partitions', 4, 'followerLoad', 'DISK'], DELETE), 'partitions[4].followerLoad.DISK');
    expectJsonError(edited(['partitions', 1, 'leaderLoad', 'GPU'], 1), 'partitions[1].leaderLoad');
    expectJsonError(edited(['brokers', 0, 'capacity', 'CPU'], null), 'brokers[0].capacity.CPU');
    expectJsonError(edited(['disks'], {}), 'disks');
  });

  it('names the JSON path of an inconsistent reference', () => {
    const small = smallJson();
    expectJsonError(edited(['brokers', 2, 'rack'], 'moon'), 'brokers[2].rack', /moon/);
    expectJsonError(edited(['racks', 1], small.racks[0]), 'racks[1]', /twice/);
    expectJsonError(edited(['brokers', 1, 'kafkaId'], 0), 'brokers[1]', /added twice/);
    expectJsonError(edited(['disks', 0, 'broker'], 99), 'disks[0]', /unknown broker 99/);
    expectJsonError(edited(['partitions', 3, 'replicas', 0, 0], 99), 'partitions[3]', /unknown broker 99/);
    expectJsonError(edited(['partitions', 3, 'replicas', 0, 1], '/nope'), 'partitions[3]', /no disk \/nope/);
    expectJsonError(edited(['partitions', 1, 'leaderIndex'], 3), 'partitions[1]', /out of range/);
    expectJsonError(edited(['partitions', 4], small.partitions[0]), 'partitions', /added twice/);
  });
});

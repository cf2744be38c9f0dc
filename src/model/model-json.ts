// The "ballast-model/1" JSON format: save a model's current state, load it back as a new model.
import { z } from 'zod';
import { BrokerState } from './broker-state.js';
import type { ClusterModel } from './cluster-model.js';
import { ModelBuilder, type ReplicaInput } from './model-builder.js';
import { ModelBuildError } from './model.errors.js';
import { RESOURCE_COUNT, Resource } from './resources.js';

/** The version tag every model JSON document carries in `format`. */
export const MODEL_JSON_FORMAT = 'ballast-model/1';

/** Names of the {@link BrokerState} flags, as written in a broker's `state` list. */
export type BrokerStateName = keyof typeof BrokerState;

/** A load or capacity vector by resource name: CPU in percent, NW_IN and NW_OUT in KB/s, DISK in MB. */
export interface ResourceJson {
  CPU: number;
  NW_IN: number;
  NW_OUT: number;
  DISK: number;
}

/** A broker: Kafka id, rack name, state flags by name (`[]` = dead), capacity. */
export interface BrokerJson {
  kafkaId: number;
  rack: string;
  state: BrokerStateName[];
  capacity: ResourceJson;
}

/** A log directory: owning broker's Kafka id, path, capacity in MB, false when offline. */
export interface DiskJson {
  broker: number;
  path: string;
  capacityMb: number;
  alive: boolean;
}

/**
 * A partition: its replicas in Kafka's order as `[broker Kafka id, disk path or null]`, the
 * leader's position in `replicas` (-1 when offline), and the leader and follower loads.
 */
export interface PartitionJson {
  topic: string;
  partition: number;
  replicas: [number, string | null][];
  leaderIndex: number;
  leaderLoad: ResourceJson;
  followerLoad: ResourceJson;
}

/**
 * A saved model (see docs/model-format.md). Array order is the model's index order, so loading
 * gives identical arrays. The placement saved is the model's CURRENT one: a loaded model starts
 * from it, its original placement equals it and its journal is empty.
 */
export interface ModelJson {
  format: typeof MODEL_JSON_FORMAT;
  racks: string[];
  brokers: BrokerJson[];
  disks: DiskJson[];
  partitions: PartitionJson[];
}

/** Thrown by {@link modelFromJson} for an invalid document; `path` names the bad field, e.g. `partitions[3].leaderIndex`. */
export class ModelJsonError extends ModelBuildError {
  constructor(
    /** JSON path of the offending field (`$` for the document itself). */
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

const STATE_NAMES = Object.keys(BrokerState) as BrokerStateName[];
const RESOURCE_KEYS = ['CPU', 'NW_IN', 'NW_OUT', 'DISK'] as const satisfies readonly (keyof typeof Resource)[];
const ALL_STATE_BITS = STATE_NAMES.reduce((bits, name) => bits | BrokerState[name], 0);

const resourceSchema = z.strictObject({ CPU: z.number(), NW_IN: z.number(), NW_OUT: z.number(), DISK: z.number() });
const modelSchema = z.strictObject({
  format: z.literal(MODEL_JSON_FORMAT),
  racks: z.array(z.string()),
  brokers: z.array(
    z.strictObject({
      kafkaId: z.int(),
      rack: z.string(),
      state: z.array(z.enum(STATE_NAMES as [BrokerStateName, ...BrokerStateName[]])),
      capacity: resourceSchema,
    }),
  ),
  disks: z.array(z.strictObject({ broker: z.int(), path: z.string(), capacityMb: z.number(), alive: z.boolean() })),
  partitions: z.array(
    z.strictObject({
      topic: z.string(),
      partition: z.int().nonnegative(),
      replicas: z.array(z.tuple([z.int(), z.string().nullable()])),
      leaderIndex: z.int().min(-1),
      leaderLoad: resourceSchema,
      followerLoad: resourceSchema,
    }),
  ),
});

/**
 * Saves a model's current state as a {@link ModelJson} document (plain data, ready for
 * `JSON.stringify`). Broker capacities, disk capacities and liveness are the current values.
 * @throws RangeError when a broker state holds a bit that {@link BrokerState} does not name.
 */
export function modelToJson(model: ClusterModel): ModelJson {
  const tables = model.tables;
  const brokers: BrokerJson[] = [];
  for (let b = 0; b < model.brokerCount; b++) {
    const bits = model.brokerState[b]!;
    if ((bits & ~ALL_STATE_BITS) !== 0)
      throw new RangeError(`broker ${tables.brokerKafkaIds[b]} has state bits ${bits}`);
    brokers.push({
      kafkaId: tables.brokerKafkaIds[b]!,
      rack: tables.rackNames[model.brokerRack[b]!]!,
      state: STATE_NAMES.filter((name) => (bits & BrokerState[name]) !== 0),
      capacity: vectorToJson(model.brokerCapacity, b),
    });
  }
  const disks: DiskJson[] = [];
  for (let d = 0; d < model.diskCount; d++) {
    disks.push({
      broker: tables.brokerKafkaIds[model.diskBroker[d]!]!,
      path: tables.diskPaths[d]!,
      capacityMb: model.diskCapacityMb[d]!,
      alive: model.diskAlive[d] === 1,
    });
  }
  const partitions: PartitionJson[] = [];
  for (let p = 0; p < model.partitionCount; p++) {
    const start = model.partitionReplicaStart[p]!;
    const end = model.partitionReplicaStart[p + 1]!;
    const replicas: [number, string | null][] = [];
    for (let r = start; r < end; r++) {
      const disk = model.replicaDisk[r]!;
      replicas.push([tables.brokerKafkaIds[model.replicaBroker[r]!]!, disk < 0 ? null : tables.diskPaths[disk]!]);
    }
    const leader = model.partitionLeader[p]!;
    partitions.push({
      topic: tables.topicNames[model.partitionTopic[p]!]!,
      partition: model.partitionNumber[p]!,
      replicas,
      leaderIndex: leader < 0 ? -1 : leader - start,
      leaderLoad: vectorToJson(model.leaderLoad, p),
      followerLoad: vectorToJson(model.followerLoad, p),
    });
  }
  return { format: MODEL_JSON_FORMAT, racks: [...tables.rackNames], brokers, disks, partitions };
}

/**
 * Validates a parsed JSON document and builds the model it describes; its original placement is
 * the saved one. Racks keep the document's order, even those without brokers.
 * @throws ModelJsonError naming the JSON path of the first bad field: wrong type, unknown key,
 *   unsupported `format`, unknown rack, broker or disk, duplicate broker, disk or partition.
 */
export function modelFromJson(json: unknown): ClusterModel {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ModelJsonError('$', 'a model document must be a JSON object');
  }
  const format = (json as { format?: unknown }).format;
  if (format !== MODEL_JSON_FORMAT) {
    throw new ModelJsonError('format', `unsupported format ${JSON.stringify(format)}, expected "${MODEL_JSON_FORMAT}"`);
  }
  const parsed = modelSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ModelJsonError(jsonPath(issue.path), issue.message);
  }
  const doc = parsed.data;
  const builder = new ModelBuilder();
  const racks = new Set<string>();
  doc.racks.forEach((rack, i) => {
    if (racks.has(rack)) throw new ModelJsonError(`racks[${i}]`, `rack ${JSON.stringify(rack)} listed twice`);
    racks.add(rack);
    builder.addRack(rack);
  });
  doc.brokers.forEach((broker, i) => {
    if (!racks.has(broker.rack)) {
      throw new ModelJsonError(`brokers[${i}].rack`, `rack ${JSON.stringify(broker.rack)} is not in racks`);
    }
    const state = broker.state.reduce((bits, name) => bits | BrokerState[name], 0);
    atPath(`brokers[${i}]`, () => builder.addBroker({ ...broker, state, capacity: vectorFromJson(broker.capacity) }));
  });
  doc.disks.forEach((disk, i) => atPath(`disks[${i}]`, () => builder.addDisk(disk)));
  doc.partitions.forEach((partition, i) => {
    const replicas = partition.replicas.map(([broker, disk]): ReplicaInput =>
      disk === null ? { broker } : { broker, disk },
    );
    const input = {
      ...partition,
      replicas,
      leaderLoad: vectorFromJson(partition.leaderLoad),
      followerLoad: vectorFromJson(partition.followerLoad),
    };
    atPath(`partitions[${i}]`, () => builder.addPartition(input));
  });
  return atPath('partitions', () => builder.build());
}

function vectorToJson(array: Float64Array, row: number): ResourceJson {
  const at = row * RESOURCE_COUNT;
  return {
    CPU: array[at + Resource.CPU]!,
    NW_IN: array[at + Resource.NW_IN]!,
    NW_OUT: array[at + Resource.NW_OUT]!,
    DISK: array[at + Resource.DISK]!,
  };
}

function vectorFromJson(vector: ResourceJson): number[] {
  const out = new Array<number>(RESOURCE_COUNT);
  for (const key of RESOURCE_KEYS) out[Resource[key]] = vector[key];
  return out;
}

// `partitions[3].replicas[0][1]` from zod's path segments.
function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '$' : out;
}

// Runs a builder call, re-throwing its ModelBuildError under the JSON path of the input.
function atPath<T>(path: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ModelBuildError && !(error instanceof ModelJsonError)) {
      throw new ModelJsonError(path, error.message);
    }
    throw error;
  }
}

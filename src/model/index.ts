// The workload model's public surface: plain TypeScript, typed arrays and integer ids, no I/O.
export { BrokerState, hasBrokerState } from './broker-state.js';
export { ClusterModel } from './cluster-model.js';
export { computeAggregates, type AggregateInputs } from './aggregates.js';
export {
  ModelBuilder,
  type BrokerInput,
  type DiskInput,
  type PartitionInput,
  type ReplicaInput,
} from './model-builder.js';
export {
  DiskNotOnBrokerError,
  DuplicateReplicaError,
  InvalidModelOperationError,
  ModelBuildError,
} from './model.errors.js';
export type { ModelAggregates, ModelArrays, ModelTables } from './model-state.js';
export {
  MODEL_JSON_FORMAT,
  ModelJsonError,
  modelFromJson,
  modelToJson,
  type BrokerJson,
  type BrokerStateName,
  type DiskJson,
  type ModelJson,
  type PartitionJson,
  type ResourceJson,
} from './model-json.js';
export type { PartitionMove } from './partition-move.js';
export { seededRandom } from './random.js';
export { RESOURCE_COUNT, RESOURCE_NAMES, Resource, type ResourceVector } from './resources.js';
export {
  HOT_SHARE,
  HOT_WEIGHT,
  generateSyntheticModel,
  type SyntheticModelOptions,
  type SyntheticSkew,
} from './synthetic.js';

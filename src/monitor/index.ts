// Load monitor: samplers (JMX-exporter scrape, Prometheus, admin API), windows with completeness,
// per-partition load derivation, broker capacities, and the workload model built from them.
export * from './capacity/index.js';
export * from './aggregation/index.js';
export * from './samplers/index.js';
export * from './load-derivation.js';
export { MonitorModule } from './monitor.module.js';
export { BrokerLatencyHistory, type BrokerLatencySample } from './broker-latency-history.js';
export { LoadMonitorService, type Workload, type WorkloadRequest } from './load-monitor.service.js';
export { CapacityEstimationNotAllowedError, LoadMonitorNotReadyError } from './monitor.errors.js';
export type { LoadMonitorState, SamplingReport } from './monitor-status.js';
export { PARTITION_METRICS, PartitionMetric, partitionSamples, snapshotReplicaSizes } from './partition-samples.js';
export { resolveBrokerCapacities, type CapacityEstimates, type ModelBrokerCapacity } from './broker-capacities.js';
export {
  buildWorkloadModel,
  partitionLoadsFromWindows,
  type LoadMode,
  type PartitionWindowLoad,
  type WorkloadBroker,
  type WorkloadModel,
} from './workload-model.js';
export { NoSampleStore, RedisSampleStore, SampleStore } from './sample-store.js';

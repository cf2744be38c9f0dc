// Anomaly detector: notices failed brokers and disks, slow brokers, goal violations and topics below their
// replication factor (or too large), and heals them within the N-1 failure budget. The pure core (detectors,
// policy, records, state) and the services that run it.
export { DetectorModule } from './detector.module.js';
export { AnomalyDetectorService } from './anomaly-detector.service.js';
export { DetectorRunner, type Detection } from './detector-runner.service.js';
export { AnomalyNotifier } from './anomaly-notifier.service.js';
export { SelfHealer, type HealOutcome } from './self-healer.service.js';
export { DetectorStore, InMemoryDetectorStore, type PersistedDetectorState } from './detector-store.js';
export * from './anomaly.js';
export * from './broker-failure.detector.js';
export * from './disk-failure.detector.js';
export * from './metric-anomaly.detector.js';
export * from './topic-anomaly.detector.js';
export * from './goal-violation.detector.js';
export * from './self-healing.policy.js';
export * from './anomaly-records.js';
export * from './anomaly-detector-state.js';
export { alertPayload, type Alert, type AlertFormat } from './alert.js';

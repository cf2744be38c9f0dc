// Anomaly detector (not built yet): notices failures and heals within the failure budget.
export { DetectorModule } from './detector.module.js';

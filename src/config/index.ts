// Configuration: one schema, loaded from a YAML file and BALLAST_* environment variables, validated at boot.
export { BallastConfig } from './ballast-config.js';
export { ConfigError, type ConfigProblem } from './config.errors.js';
export { CONFIG_FILE_ENV, configKeys, loadConfig } from './config.loader.js';
export { ConfigModule } from './config.module.js';
export { configSchema, type BallastConfigInput, type BallastConfigValues } from './config.schema.js';
export type { MonitorConfig } from './monitor.schema.js';
export { JWT_ALGORITHMS, type SecurityConfig } from './security.schema.js';
export { MIN_LEADER_TTL_MS, type LeaderElectionConfig } from './leader-election.schema.js';
export { DEFAULT_DETECTION_GOALS } from './detector.schema.js';

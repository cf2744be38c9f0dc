// Thrown when the configuration (environment or YAML file) cannot be used; start-up stops.
import { BallastError } from '../common/index.js';

export interface ConfigProblem {
  /** Dotted key path, e.g. `server.port`. */
  key: string;
  /** Where the bad value came from: `BALLAST_SERVER_PORT`, `ballast.yaml`, or `default`. */
  source: string;
  message: string;
}

/** Thrown when a configuration value is missing, unknown or invalid. Not retryable. */
export class ConfigError extends BallastError {
  readonly code = 'CONFIG_INVALID';

  constructor(readonly problems: ConfigProblem[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p.key} (${p.source}): ${p.message}`).join('\n')}`);
  }
}

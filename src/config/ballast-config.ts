// The injection token for the validated configuration: a concrete class, so services ask for
// `BallastConfig` by type and get the same frozen values everywhere.
import type { BallastConfigValues } from './config.schema.js';

export class BallastConfig implements BallastConfigValues {
  readonly server!: BallastConfigValues['server'];
  readonly kafka!: BallastConfigValues['kafka'];
  readonly redis!: BallastConfigValues['redis'];
  readonly monitor!: BallastConfigValues['monitor'];
  readonly analyzer!: BallastConfigValues['analyzer'];
  readonly executor!: BallastConfigValues['executor'];
  readonly detector!: BallastConfigValues['detector'];
  readonly api!: BallastConfigValues['api'];
  readonly logging!: BallastConfigValues['logging'];
  readonly security!: BallastConfigValues['security'];
  readonly leaderElection!: BallastConfigValues['leaderElection'];

  constructor(values: BallastConfigValues) {
    Object.assign(this, structuredClone(values));
    deepFreeze(this);
  }
}

function deepFreeze(value: object): void {
  for (const child of Object.values(value)) if (child && typeof child === 'object') deepFreeze(child as object);
  Object.freeze(value);
}

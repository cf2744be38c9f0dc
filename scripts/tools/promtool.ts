// `promtool` for the alert-rule tests: Debian's `prometheus` package ships it. Installed when
// missing and we are root, without starting Prometheus's system service.
import { spawnSync } from 'node:child_process';
import { ensurePrometheusInstalled } from '../sandbox/index.js';

/** The promtool command, installing Debian's prometheus package first when needed. */
export function ensurePromtool(): string {
  if (spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status !== 0) ensurePrometheusInstalled();
  return 'promtool';
}

// Installs the Debian packages the sandbox needs (redis-server, prometheus) when they are missing
// and we are root, so a fresh machine needs nothing installed by hand.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';

const POLICY_RC = '/usr/sbin/policy-rc.d';

export interface DebianPackage {
  /** The program that must answer `--version`. */
  command: string;
  /** The Debian package that provides it. */
  packageName: string;
  /** What to do instead when we may not install (not root). */
  otherwise: string;
  /**
   * The package would start a system-wide service (Prometheus on port 9090, the port Ballast's demo
   * uses): a temporary policy-rc.d forbids service starts during the install.
   */
  keepServiceStopped?: boolean;
}

export function ensureDebianPackage(pkg: DebianPackage): void {
  if (spawnSync(pkg.command, ['--version']).status === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`${pkg.command} is not installed; ${pkg.otherwise}`);
  process.stderr.write(`${pkg.command} not found: installing the Debian package ${pkg.packageName} …\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const ownPolicy = pkg.keepServiceStopped === true && !existsSync(POLICY_RC);
  if (ownPolicy) writeFileSync(POLICY_RC, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg.packageName], {
      stdio: 'inherit',
      env,
    });
  } finally {
    if (ownPolicy) rmSync(POLICY_RC, { force: true });
  }
}

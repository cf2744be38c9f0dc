// A private Prometheus server for tests: Debian's `prometheus` package (installed when missing and
// we are root, without starting its system service), scraping given targets on a free port.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, ProcessGroup, tailOf, waitFor } from './processes.js';

export interface PrometheusSandboxOptions {
  /** `host:port` endpoints serving /metrics. */
  targets: string[];
  /** @defaultValue 1000 */
  scrapeIntervalMs?: number;
}

export class PrometheusSandbox {
  private constructor(
    /** Base URL of the HTTP API, e.g. http://127.0.0.1:40123. */
    readonly url: string,
    private readonly group: ProcessGroup,
  ) {}

  static async start(options: PrometheusSandboxOptions): Promise<PrometheusSandbox> {
    ensurePrometheusInstalled();
    const group = new ProcessGroup('ballast-prometheus');
    const port = await freePort();
    const seconds = `${(options.scrapeIntervalMs ?? 1000) / 1000}s`;
    const configFile = join(group.dir, 'prometheus.yml');
    writeFileSync(
      configFile,
      [
        'global:',
        `  scrape_interval: ${seconds}`,
        `  evaluation_interval: ${seconds}`,
        'scrape_configs:',
        '  - job_name: kafka',
        '    static_configs:',
        `      - targets: [${options.targets.map((t) => JSON.stringify(t)).join(', ')}]`,
        '',
      ].join('\n'),
    );
    const logFile = join(group.dir, 'prometheus.log');
    const child = group.spawn(
      'prometheus',
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(group.dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      logFile,
    );
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor('Prometheus to be ready', async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited: ${tailOf(logFile, 10)}`);
        const response = await fetch(`${url}/-/ready`).catch(() => undefined);
        return response?.ok ? true : undefined;
      });
    } catch (error) {
      await group.close();
      throw error;
    }
    return new PrometheusSandbox(url, group);
  }

  async close(): Promise<void> {
    await this.group.close();
  }
}

const POLICY_RC = '/usr/sbin/policy-rc.d';

/**
 * Installs Debian's prometheus when it is missing and we may (root); otherwise explains. The
 * package would start a system-wide Prometheus on port 9090 (the port Ballast's demo uses): a
 * temporary policy-rc.d forbids service starts during the install.
 */
export function ensurePrometheusInstalled(): void {
  if (spawnSync('prometheus', ['--version']).status === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error('prometheus is not installed; install it (apt-get install prometheus) or run the tests as root');
  }
  process.stderr.write('prometheus not found: installing the Debian package prometheus …\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const ownPolicy = !existsSync(POLICY_RC);
  if (ownPolicy) writeFileSync(POLICY_RC, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'prometheus'], {
      stdio: 'inherit',
      env,
    });
  } finally {
    if (ownPolicy) rmSync(POLICY_RC, { force: true });
  }
}

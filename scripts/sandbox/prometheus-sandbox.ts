// A private Prometheus server for tests: Debian's `prometheus` package (installed when missing and
// we are root, without starting its system service), scraping given targets on a free port.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDebianPackage } from './debian-packages.js';
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

/**
 * Installs Debian's prometheus when it is missing and we may (root), without letting the package
 * start its system service; otherwise explains.
 */
export function ensurePrometheusInstalled(): void {
  ensureDebianPackage({
    command: 'prometheus',
    packageName: 'prometheus',
    otherwise: 'install it (apt-get install prometheus) or run the tests as root',
    keepServiceStopped: true,
  });
}

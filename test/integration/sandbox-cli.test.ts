// `npm run sandbox`: one JSON line describing a running cluster, and a clean stop on SIGTERM.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../scripts/sandbox/processes.js';
import type { SandboxDescription } from '../../scripts/sandbox/index.js';

describe('sandbox CLI', () => {
  it('prints the cluster as one JSON line, serves it, and removes everything on SIGTERM', async () => {
    const cli = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/sandbox-cli.ts', '--brokers', '2', '--racks', '2'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: cli.stdout }).once('line', resolve);
        void exited.then((code) => reject(new Error(`sandbox CLI exited early with ${code}`)));
      });
      const description = JSON.parse(line) as SandboxDescription & { startupMs: number };
      expect(description.brokers.map((b) => [b.id, b.rack])).toEqual([
        [0, 'rack-a'],
        [1, 'rack-b'],
      ]);
      expect(description.bootstrapServers.split(',')).toHaveLength(2);
      for (const broker of description.brokers) {
        expect(broker.logDirs).toHaveLength(2);
        expect(isAlive(broker.pid!)).toBe(true);
        expect(await (await fetch(broker.metricsUrl)).text()).toContain('kafka_server_');
      }
      expect(description.startupMs).toBeGreaterThan(0);

      cli.kill('SIGTERM');
      expect(await exited).toBe(0);
      for (const broker of description.brokers) expect(isAlive(broker.pid!)).toBe(false);
      expect(isAlive(description.controller.pid!)).toBe(false);
      expect(existsSync(description.dir)).toBe(false);
    } finally {
      if (cli.exitCode === null) cli.kill('SIGKILL');
    }
  });
});

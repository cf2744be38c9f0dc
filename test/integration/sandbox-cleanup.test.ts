// Nothing is left behind when the process that owns a sandbox dies without cleaning up
// (a crashed or SIGKILLed test worker): the watchdog kills its children and removes its dir.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../scripts/sandbox/index.js';

function refuses(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('sandbox cleanup', () => {
  it('kills the private redis-server and removes its temp dir when the owner is SIGKILLed', async () => {
    const owner = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/redis-then-hang.ts'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: owner.stdout }).once('line', resolve);
      owner.once('exit', (code) => reject(new Error(`fixture exited early with ${code}`)));
    });
    const { url, dir } = JSON.parse(firstLine) as { url: string; dir: string };
    expect(await refuses(url)).toBe(false);
    expect(existsSync(dir)).toBe(true);

    owner.kill('SIGKILL');

    await waitFor('the watchdog to stop redis-server', async () => ((await refuses(url)) ? true : undefined), {
      timeoutMs: 15_000,
    });
    await waitFor('the watchdog to remove the temp dir', () => Promise.resolve(existsSync(dir) ? undefined : true), {
      timeoutMs: 15_000,
    });
  });
});

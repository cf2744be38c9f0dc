// Listener ports for the sandbox come from below the kernel's ephemeral range, where no outgoing
// connection can take them between the check and the bind.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, listenerPortRange } from '../../../scripts/sandbox/index.js';

describe('freePort', () => {
  it('picks below the ephemeral range when it leaves room, and lets the kernel choose otherwise', () => {
    expect(listenerPortRange([32_768, 60_999])).toEqual({ min: 10_000, max: 32_767 });
    expect(listenerPortRange([49_152, 65_535])).toEqual({ min: 10_000, max: 49_151 });
    expect(listenerPortRange([1_024, 65_535])).toBeNull();
    expect(listenerPortRange(null)).toEqual({ min: 10_000, max: 32_767 });
  });

  it("returns ports a listener can bind, below this machine's ephemeral range", async () => {
    const range = listenerPortRange();
    for (let i = 0; i < 5; i++) {
      const port = await freePort();
      if (range !== null) {
        expect(port).toBeGreaterThanOrEqual(range.min);
        expect(port).toBeLessThanOrEqual(range.max);
      }
      await new Promise<void>((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
      });
    }
  });
});

// bcrypt runs on password threads (src/api/security/password-verifier.ts): the verdicts are
// bcryptjs's own, the main thread's timers keep firing while a slow comparison runs, the main
// thread never calls bcrypt, and a stopped thread fails a comparison rather than passing it.
import { readFileSync } from 'node:fs';
import bcrypt from 'bcryptjs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { PasswordVerifier } from '../../../src/api/security/password-verifier.js';

const verifier = new PasswordVerifier(2);
afterAll(() => verifier.close());

const PASSWORDS = ['right-password', 'wrong-password', '', 'pässwörd-ünïcode-🔑', 'x'.repeat(80), 'x'.repeat(73)];

describe('PasswordVerifier', () => {
  it('gives the same verdict as bcryptjs on the calling thread', async () => {
    const base = bcrypt.hashSync('right-password', 4);
    const hashes = [
      base,
      base.replace(/^\$2b\$/, '$2a$'),
      base.replace(/^\$2b\$/, '$2y$'),
      bcrypt.hashSync('', 4),
      bcrypt.hashSync('pässwörd-ünïcode-🔑', 5),
      // bcrypt reads 72 bytes at most, so the 73- and 80-character passwords match this one.
      bcrypt.hashSync('x'.repeat(72), 4),
      // SecurityService's dummy hash for unknown users.
      '$2b$10$H5yARZFGlyRE17AwuKKmf.McJau1c5QODEM8zY0VG1vNEaOdAHidq',
    ];
    const cases = hashes.flatMap((hash) => PASSWORDS.map((password) => ({ password, hash })));
    const threaded = await Promise.all(cases.map(({ password, hash }) => verifier.verify(password, hash)));
    const inline = cases.map(({ password, hash }) => bcrypt.compareSync(password, hash));
    expect(threaded).toEqual(inline);
    expect(threaded.filter(Boolean).length).toBeGreaterThanOrEqual(6);
  });

  it('keeps the main thread free while a slow comparison runs', async () => {
    const hash = bcrypt.hashSync('slow', 12);
    await verifier.verify('warm-up', bcrypt.hashSync('warm-up', 4));
    let ticks = 0;
    let last = performance.now();
    let longestGapMs = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - last);
      last = now;
      ticks++;
    }, 10);
    const started = performance.now();
    const matches = await verifier.verify('slow', hash);
    const elapsedMs = performance.now() - started;
    clearInterval(timer);
    expect(matches).toBe(true);
    // On the main thread the timer could not fire until the comparison ended (one gap as long as
    // the whole run); here it keeps ticking. Loose bounds: a busy machine delays timers a little.
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(longestGapMs).toBeLessThan(elapsedMs / 2);
  });

  it('never calls bcrypt on the main thread', async () => {
    const compare = vi.spyOn(bcrypt, 'compare');
    const compareSync = vi.spyOn(bcrypt, 'compareSync');
    try {
      expect(await verifier.verify('a', bcrypt.hashSync('a', 4))).toBe(true);
      expect(compare).not.toHaveBeenCalled();
      expect(compareSync).not.toHaveBeenCalled();
    } finally {
      compare.mockRestore();
      compareSync.mockRestore();
    }
    // And the service has no other way to reach it.
    const service = readFileSync(new URL('../../../src/api/security/security.service.ts', import.meta.url), 'utf8');
    expect(service).not.toMatch(/from 'bcryptjs'/);
  });

  it('fails a comparison in flight when stopped, never answering it as a match', async () => {
    const own = new PasswordVerifier(1);
    const pending = own.verify('slow', bcrypt.hashSync('slow', 12));
    await own.close();
    await expect(pending).rejects.toThrow(/stopped|exited/);
    // A stopped verifier starts a new thread on demand.
    expect(await own.verify('b', bcrypt.hashSync('b', 4))).toBe(true);
    await own.close();
  });
});

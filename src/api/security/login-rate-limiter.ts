// How often a client may fail to authenticate (security.loginRateLimit): a token bucket per remote
// address. Every attempt that needs checking takes a token before the check runs, and a success
// gives it back, so only failures cost; a client without tokens is refused before any bcrypt runs.
import { isIPv6 } from 'node:net';
import type { SecurityConfig } from '../../config/index.js';

export type LoginRateLimitOptions = SecurityConfig['loginRateLimit'];

/** A granted attempt; `succeeded` gives its token back. */
export interface LoginAttempt {
  readonly allowed: true;
  succeeded(): void;
}

/** A refused attempt: how long until the client may try again. */
export interface LoginRefusal {
  readonly allowed: false;
  readonly retryAfterMs: number;
  /** True for the first refusal since the client ran out, so a block is logged once, not per request. */
  readonly firstRefusal: boolean;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
  refused: boolean;
}

const UNLIMITED: LoginAttempt = { allowed: true, succeeded: () => {} };

export class LoginRateLimiter {
  // Map keeps insertion order; every touch re-inserts, so the first key is the least recently seen.
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly options: LoginRateLimitOptions,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Clients currently remembered (those that failed recently and have not refilled). */
  get size(): number {
    return this.buckets.size;
  }

  /** Takes a token for one attempt of `client` (its key, see `clientKey`), or refuses. */
  attempt(client: string): LoginAttempt | LoginRefusal {
    if (!this.options.enabled) return UNLIMITED;
    const now = this.nowMs();
    const bucket = this.refilled(client, now);
    if (bucket.tokens < 1) {
      const retryAfterMs = Math.ceil((1 - bucket.tokens) * this.options.refillIntervalMs);
      const firstRefusal = !bucket.refused;
      bucket.refused = true;
      this.store(client, bucket);
      return { allowed: false, retryAfterMs, firstRefusal };
    }
    bucket.tokens -= 1;
    this.store(client, bucket);
    let settled = false;
    return {
      allowed: true,
      succeeded: () => {
        if (settled) return;
        settled = true;
        const current = this.refilled(client, this.nowMs());
        current.tokens = Math.min(this.options.burst, current.tokens + 1);
        this.store(client, current);
      },
    };
  }

  private refilled(client: string, now: number): Bucket {
    const bucket = this.buckets.get(client);
    if (bucket === undefined) return { tokens: this.options.burst, updatedMs: now, refused: false };
    const gained = Math.max(0, now - bucket.updatedMs) / this.options.refillIntervalMs;
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + gained);
    bucket.updatedMs = now;
    if (bucket.tokens >= 1) bucket.refused = false;
    return bucket;
  }

  private store(client: string, bucket: Bucket): void {
    this.buckets.delete(client);
    // A full bucket is the same as none: forgetting it keeps only clients that failed recently.
    if (bucket.tokens >= this.options.burst) return;
    if (this.buckets.size >= this.options.maxClients) this.buckets.delete(this.buckets.keys().next().value!);
    this.buckets.set(client, bucket);
  }
}

/**
 * The limiter's key for a remote address: IPv4 as it is (also when IPv4-mapped in IPv6), IPv6 by
 * its /64 prefix, because one host usually holds a whole /64 and could otherwise rotate addresses.
 */
export function clientKey(remoteAddress: string | undefined): string {
  if (remoteAddress === undefined || remoteAddress === '') return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress);
  if (mapped) return mapped[1]!;
  if (!isIPv6(remoteAddress)) return remoteAddress;
  const groups = expandIPv6(remoteAddress.split('%')[0]!);
  return groups === undefined ? remoteAddress : `${groups.slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] | undefined {
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail (::1.2.3.4) is two groups; such addresses are rare enough to key whole.
  if ([...left, ...right].some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

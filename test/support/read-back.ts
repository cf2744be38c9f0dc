// Reading a topic back at the end of an e2e test: the steady load stopped, then every acknowledged
// message and every preloaded one (keys m-0, m-1, …) found by key.
import { expect } from 'vitest';
import type { KafkaSandbox, ProduceResult } from '../../scripts/sandbox/index.js';
import type { SteadyLoad } from './steady-load.js';

/** The keys `KafkaSandbox.produce` gives `count` preloaded messages. */
export const preloadedKeys = (count: number): string[] => Array.from({ length: count }, (_, i) => `m-${i}`);

/**
 * Stops the load and reads `topic` back. With `everySendAcked` (an idempotent producer on a cluster
 * that stayed up) no send may have failed.
 */
export async function stopLoadAndReadBack(
  kafka: KafkaSandbox,
  load: SteadyLoad,
  topic: string,
  { everySendAcked }: { everySendAcked: boolean },
): Promise<ProduceResult> {
  await load.stop();
  if (everySendAcked) expect(load.failedSends(), load.errors().join('; ')).toBe(0);
  return kafka.consumeCount(topic);
}

/**
 * Every key the load had acknowledged was read, and with `preload` every preloaded key too; a
 * failure names the counts (and `context`, if given).
 */
export function expectAckedKeysRead(read: ProduceResult, load: SteadyLoad, preload?: number, context = ''): void {
  const missing = [...load.ackedKeys].filter((k) => !read.keys!.has(k));
  expect(
    missing,
    `${context}read ${read.total} messages (${read.keys!.size} keys) per partition ${JSON.stringify(read.perPartition)}; acked ${load.ackedKeys.size} + preload ${preload ?? 0}`,
  ).toEqual([]);
  if (preload !== undefined) expect(preloadedKeys(preload).filter((k) => !read.keys!.has(k))).toEqual([]);
}

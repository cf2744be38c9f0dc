// Memory measurement shared by the benchmarks: retained heap plus array-buffer backing stores.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Exposes gc() without a command-line flag so memory deltas measure retained data, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap plus array buffers (where typed arrays live) after two collections a tick apart: V8 frees backing stores after the collection. */
export async function usedBytes(): Promise<number> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

// What the optimizer thread costs and what it buys: the same proposal computed on the calling thread
// and on the worker thread, with the wall time of each (the thread's includes copying the model's
// arrays over and the optimized ones back) and the event loop's longest stall while it ran, which is
// how long /health, /metrics, the API and the leader lock's renewal would have waited.
// "Optimize alone" is the goals' own time on each side, without the copies.
// BENCH_THREAD_TIERS picks tiers (default S,M; tiers as in optimizer.bench.ts).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DEFAULT_GOALS, DEFAULT_THRESHOLDS } from '../goals/index.js';
import { OptimizerThread } from '../src/analyzer/optimizer-thread.js';
import { loadConfig } from '../src/config/index.js';
import { generateSyntheticModel } from '../src/model/index.js';

const TIERS: Record<string, { brokers: number; replicas: number }> = {
  S: { brokers: 10, replicas: 10_000 },
  P: { brokers: 50, replicas: 60_000 },
  M: { brokers: 100, replicas: 300_000 },
  L: { brokers: 215, replicas: 2_800_000 },
};
const tiers = (process.env.BENCH_THREAD_TIERS ?? 'S,M').split(',').map((t) => t.trim());
const analyzer = loadConfig({}, { kafka: { bootstrapServers: ['bench:9092'] } }).analyzer;

async function measure(thread: OptimizerThread, model: Parameters<OptimizerThread['run']>[0], maxReplicas: number) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = performance.now();
  const { result } = await thread.run(model, {
    goals: DEFAULT_GOALS,
    thresholds: { ...DEFAULT_THRESHOLDS, maxReplicasPerBroker: maxReplicas },
    skipHardGoalCheck: true,
  });
  const wallMs = performance.now() - started;
  delay.disable();
  // The histogram only records stalls between its own timer ticks; a fully blocked loop shows as
  // one sample of the whole run, so the wall time is the fallback bound when it recorded nothing.
  const stallMs = delay.count > 0 ? delay.max / 1e6 : wallMs;
  return { wallMs, stallMs, moves: result.replicaMoves, optimizeMs: result.durationMs };
}

const inline = new OptimizerThread(analyzer, false);
const threaded = new OptimizerThread(analyzer, true);
// Start the thread (and load its goals) before measuring: that happens once per process.
await threaded.run(generateSyntheticModel({ seed: 1, brokers: 3, racks: 3, partitions: 10 }), {
  goals: [],
});
console.log('tier  replicas    calling thread: wall / stall    worker thread: wall / stall    moves (same)');
for (const tier of tiers) {
  const { brokers, replicas } = TIERS[tier]!;
  const model = generateSyntheticModel({
    seed: 42,
    brokers,
    racks: Math.min(5, brokers),
    partitions: Math.round(replicas / 3),
    topics: Math.max(10, Math.round(replicas / 3000)),
    skew: 'hot-broker',
    cpuCapacity: 1e6,
    diskCapacityMb: 1e12,
    nwCapacityKBps: 1e12,
  });
  const maxReplicas = Math.max(DEFAULT_THRESHOLDS.maxReplicasPerBroker, Math.ceil((1.2 * replicas) / brokers));
  const a = await measure(inline, model, maxReplicas);
  const b = await measure(threaded, model, maxReplicas);
  console.log(
    `${tier.padEnd(5)} ${String(replicas).padStart(9)}    ${(a.wallMs / 1000).toFixed(2)} s / ${(a.stallMs / 1000).toFixed(2)} s` +
      `              ${(b.wallMs / 1000).toFixed(2)} s / ${b.stallMs.toFixed(0)} ms` +
      ` (optimize alone ${(a.optimizeMs / 1000).toFixed(2)} / ${(b.optimizeMs / 1000).toFixed(2)} s)` +
      `              ${a.moves} / ${b.moves}${a.moves === b.moves ? '' : ' DIFFERENT'}`,
  );
}
await threaded.close();

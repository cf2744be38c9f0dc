// What the optimizer thread costs and what it buys: the same proposal computed on the calling thread
// and on the worker thread, with the wall time of each (the thread's includes copying the model's
// arrays over and the optimized ones back) and the event loop's longest stall while it ran, which is
// how long /health, /metrics, the API and the leader lock's renewal would have waited.
// "Optimize alone" is the goals' own time on each side, without the copies.
// BENCH_THREAD_TIERS picks tiers (default S,M; tiers as in optimizer.bench.ts).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DEFAULT_GOALS } from '../goals/index.js';
import { OptimizerThread } from '../src/analyzer/optimizer-thread.js';
import { loadConfig } from '../src/config/index.js';
import { generateSyntheticModel } from '../src/model/index.js';
import { TIERS, tierModel, tierThresholds } from './tiers.js';

const tiers = (process.env.BENCH_THREAD_TIERS ?? 'S,M').split(',').map((t) => t.trim());
const analyzer = loadConfig({}, { kafka: { bootstrapServers: ['bench:9092'] } }).analyzer;

async function measure(thread: OptimizerThread, tier: string, model: Parameters<OptimizerThread['run']>[0]) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = performance.now();
  const { result } = await thread.run(model, {
    goals: DEFAULT_GOALS,
    thresholds: tierThresholds(tier),
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
  const { replicas } = TIERS[tier]!;
  const model = tierModel(tier);
  const a = await measure(inline, tier, model);
  const b = await measure(threaded, tier, model);
  console.log(
    `${tier.padEnd(5)} ${String(replicas).padStart(9)}    ${(a.wallMs / 1000).toFixed(2)} s / ${(a.stallMs / 1000).toFixed(2)} s` +
      `              ${(b.wallMs / 1000).toFixed(2)} s / ${b.stallMs.toFixed(0)} ms` +
      ` (optimize alone ${(a.optimizeMs / 1000).toFixed(2)} / ${(b.optimizeMs / 1000).toFixed(2)} s)` +
      `              ${a.moves} / ${b.moves}${a.moves === b.moves ? '' : ' DIFFERENT'}`,
  );
}
await threaded.close();

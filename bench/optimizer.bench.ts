// Optimizer figures on generated skewed models (issue 5's tiers): time, peak RSS, moves, bytes
// moved against the lower bound Σ max(0, disk_b − mean disk), max/mean utilization per resource.
// Tiers: S (10 brokers, 10k replicas), M (100 brokers, 300k), L (215 brokers, 2.8M), P (50 brokers, 60k,
// for profiling). BENCH_TIERS picks them (default S,M; e.g. BENCH_TIERS=M for one); BENCH_VERBOSE=1 adds
// per-goal times. "LP bound MB" is optimalityBound's LP lower bound for the DISK and NW_IN bands (and
// for DISK alone), "gap" moved / that bound, for the bands the optimizer met; tiers above the LP's
// size limit print the reason instead.
import { DEFAULT_GOALS } from '../goals/index.js';
import { optimalityBound, type OptimalityBound } from '../src/analyzer/optimality-bound.js';
import { optimize } from '../src/analyzer/optimizer.js';
import { BrokerState, Resource, type ClusterModel } from '../src/model/index.js';
import { TIERS, tierModel, tierThresholds } from './tiers.js';

const RESOURCES: [string, Resource][] = [
  ['DISK', Resource.DISK],
  ['NW_IN', Resource.NW_IN],
  ['NW_OUT', Resource.NW_OUT],
  ['CPU', Resource.CPU],
];

/** max/mean of broker utilization over alive brokers. */
function maxOverMean(model: ClusterModel, resource: Resource): number {
  let max = 0;
  let sum = 0;
  let n = 0;
  for (let b = 0; b < model.brokerCount; b++) {
    if (!model.brokerHas(b, BrokerState.ALIVE)) continue;
    const u = model.brokerUtilization(b, resource);
    max = Math.max(max, u);
    sum += u;
    n++;
  }
  return sum > 0 ? max / (sum / n) : 1;
}

/**
 * moved / LP bound, against the bound whose bands the optimizer met (a plan that misses a band is
 * not held to its bound), with which one it is.
 */
function gapFigure(
  movedMb: number,
  goals: readonly { name: string; after: { satisfied: boolean } }[],
  both: OptimalityBound,
  disk: OptimalityBound,
): string {
  const met = (name: string) => goals.find((g) => g.name === name)?.after.satisfied === true;
  const diskMet = met('DiskCapacityGoal') && met('DiskUsageDistributionGoal');
  const nwMet = met('NetworkInboundCapacityGoal') && met('NetworkInboundUsageDistributionGoal');
  const against = diskMet && nwMet ? both : diskMet ? disk : null;
  if (against === null) return 'DISK bands not met';
  if (against.status !== 'bounded') return '-';
  return `${(movedMb / Math.max(against.lowerBoundMb, 1e-9)).toFixed(3)} (${against === both ? 'DISK+NW_IN' : 'DISK; NW_IN band not met'})`;
}

/** MB that must move at least: what the brokers above the mean disk hold beyond it. */
function diskLowerBoundMb(model: ClusterModel): number {
  let total = 0;
  let n = 0;
  for (let b = 0; b < model.brokerCount; b++) {
    total += model.brokerLoad[b * 4 + Resource.DISK]!;
    n++;
  }
  const mean = total / n;
  let bound = 0;
  for (let b = 0; b < model.brokerCount; b++) bound += Math.max(0, model.brokerLoad[b * 4 + Resource.DISK]! - mean);
  return bound;
}

const tiers = (process.env.BENCH_TIERS ?? 'S,M').split(',');
console.log(
  'tier | brokers | replicas | time | RSS | replica moves | leader moves | moved MB / bound | max/mean DISK NW_IN NW_OUT CPU (before → after) | LP bound MB (DISK+NW_IN; DISK) | gap',
);

/** The LP bound, or why there is none. */
function lpFigure(bound: OptimalityBound): string {
  if (bound.status === 'bounded') return `${bound.lowerBoundMb.toFixed(0)} (${bound.solveMs.toFixed(0)} ms)`;
  return `${bound.status}: ${bound.reason}`;
}
for (const tier of tiers) {
  const { brokers } = TIERS[tier]!;
  const model = tierModel(tier);
  const before = RESOURCES.map(([, r]) => maxOverMean(model, r));
  const bound = diskLowerBoundMb(model);
  const thresholds = tierThresholds(tier);
  // Computed before optimizing so the optimizer's time and RSS are its own; it reads the original placement.
  const lpBoth = optimalityBound(model, { thresholds });
  const lpDisk = optimalityBound(model, { thresholds, resources: [Resource.DISK] });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = optimize(model, { goals: DEFAULT_GOALS, thresholds, skipHardGoalCheck: true });
  const seconds = (performance.now() - started) / 1000;
  // CPU time of the process (all threads, so GC helpers too): steadier than wall time on a shared machine.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const after = RESOURCES.map(([, r]) => maxOverMean(model, r));
  const rssMiB = process.memoryUsage().rss / 2 ** 20;
  console.log(
    `${tier} | ${brokers} | ${model.replicaCount} | ${seconds.toFixed(2)} s (cpu ${cpuSeconds.toFixed(2)} s) | ` +
      `${rssMiB.toFixed(0)} MiB | ${result.replicaMoves} | ` +
      `${result.leaderMoves} | ${(result.dataToMoveMb / Math.max(bound, 1e-9)).toFixed(2)} | ` +
      RESOURCES.map(([name], i) => `${name} ${before[i]!.toFixed(2)}→${after[i]!.toFixed(2)}`).join(' ') +
      ` | ${lpFigure(lpBoth)}; ${lpFigure(lpDisk)} | ${gapFigure(result.dataToMoveMb, result.goals, lpBoth, lpDisk)}`,
  );
  for (const g of result.goals) {
    if (process.env.BENCH_VERBOSE) {
      console.log(
        `  ${g.name.padEnd(40)} ${g.durationMs.toFixed(0).padStart(7)} ms  violations ${g.before.violations} → ${g.after.violations}`,
      );
    }
  }
}

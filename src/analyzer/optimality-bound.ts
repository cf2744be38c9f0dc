// The optimality gap's yardstick: a provable lower bound on the MB any plan must move to bring every
// alive broker's DISK and NW_IN into the distribution goals' bands, from a linear-program relaxation.
import lpSolverModule, { type SolverAPI } from 'javascript-lp-solver';
import { DEFAULT_THRESHOLDS, type GoalThresholds } from '../../goals/index.js';
import { BrokerState, Resource, type ClusterModel } from '../model/index.js';
import {
  lagrangianBound,
  primalModel,
  solvePrimal,
  type FluidLp,
  type FluidOut,
  type FluidPool,
} from './optimality-lp.js';

// The package's types describe a CommonJS module, so TypeScript sees its default export one level
// down; Node loads its ES build, whose default export is the solver itself. Accept either.
const solver: SolverAPI =
  (lpSolverModule as unknown as { default?: SolverAPI }).default ?? (lpSolverModule as unknown as SolverAPI);

export interface OptimalityBoundOptions {
  /** The thresholds the bands are judged with (the goals' own). @defaultValue DEFAULT_THRESHOLDS */
  thresholds?: GoalThresholds;
  /** False for partitions no plan may move (excluded topics); they stay where they are. @defaultValue every partition moves */
  canMovePartition?: (partition: number) => boolean;
  /**
   * Whose bands (and capacity limits) a plan must meet: DISK, NW_IN or both. Only DISK and NW_IN are
   * accepted, the resources leadership cannot move. @defaultValue [Resource.DISK, Resource.NW_IN]
   */
  resources?: readonly Resource[];
  /** Classes of replicas by NW_IN per MB; more is tighter and larger. @defaultValue 8 */
  ratioClasses?: number;
  /**
   * LP variables above which the bound is not computed. The solver's simplex works on a dense
   * tableau and its `timeout` only stops branch-and-cut, never a plain LP, so size is what bounds
   * the time. @defaultValue 2500 (the bench's 100-broker model needs 1,949 and solves in 0.7 s)
   */
  maxVariables?: number;
}

/** What {@link optimalityBound} found. Every variant carries the simple bound for comparison. */
export type OptimalityBound = { simpleBoundMb: number } & (
  | {
      status: 'bounded';
      /**
       * No plan that meets the bands moves fewer MB: the Lagrangian value of the dual solution, valid
       * whatever the solver did. At least `simpleBoundMb` up to rounding.
       */
      lowerBoundMb: number;
      /** The solver's LP optimum; equal to `lowerBoundMb` up to rounding when the solve was optimal. */
      lpOptimumMb: number;
      solveMs: number;
      variables: number;
      constraints: number;
    }
  | {
      /** Even divisible replicas cannot meet the bands: no real plan can. */
      status: 'infeasible';
      reason: string;
      solveMs: number;
      variables: number;
      constraints: number;
    }
  | { status: 'skipped'; reason: string }
);

/**
 * Goal status() tolerates loads 1e-9 past a band edge; the LP allows the same, so a plan the goals
 * call satisfied is never cut off by rounding.
 */
const BAND_SLACK = 1e-9;

/**
 * A lower bound on the MB moved (Σ DISK of replicas placed off their original broker, as
 * `OptimizationResult.dataToMoveMb` counts it) by any plan after which every alive broker's DISK
 * and NW_IN are within [mean × (2 − t), mean × t] × capacity and at most capacity × the capacity
 * threshold, every replica of a dead broker having left it. Pure; reads the original placement,
 * so it may be called before or after `optimize` on the same model.
 *
 * Why an LP is a valid bound — the relaxation:
 * - Only replica moves change DISK and NW_IN: a follower carries the leader's DISK and NW_IN (the
 *   monitor derives it so), so leadership is irrelevant. A model where that does not hold is skipped.
 * - Replicas become divisible, and only their totals per (source broker, ratio class) are kept.
 *   Class k holds replicas with NW_IN/MB in [rmin_k, rmax_k]. Any subset S of broker b's class-k
 *   replicas, and its complement, have NW_IN between rmin × MB and rmax × MB, so (MB_S, NW_IN_S)
 *   lies in the parallelogram spanned by the class total split into a part `lo` at rmin and a part
 *   `hi` at rmax (the unique split with lo + hi = MB and rmin·lo + rmax·hi = NW_IN). Hence S is
 *   written as out_lo ∈ [0, lo], out_hi ∈ [0, hi] carrying exactly S's MB and NW_IN. Replicas with
 *   NW_IN but no MB form one more class, carried for free.
 * - What leaves goes to a pool per (class, lo/hi) and is handed out to alive brokers at the same
 *   ratio, so a real plan (sum the splits of each source→destination subset) is an LP solution with
 *   the same MB moved and the same final loads. The LP drops everything else a plan must respect
 *   (one replica per broker and partition, racks, counts, other resources), which only lowers its
 *   optimum. So the LP optimum is ≤ the MB moved by any plan meeting the bands.
 * @throws RangeError when `options.resources` names a resource other than DISK or NW_IN.
 */
export function optimalityBound(model: ClusterModel, options: OptimalityBoundOptions = {}): OptimalityBound {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const canMove = options.canMovePartition ?? (() => true);
  const classCount = options.ratioClasses ?? 8;
  const maxVariables = options.maxVariables ?? 2500;
  const resources = new Set(options.resources ?? [Resource.DISK, Resource.NW_IN]);
  const alive = (b: number) => model.brokerHas(b, BrokerState.ALIVE);
  for (const resource of resources) {
    if (resource !== Resource.DISK && resource !== Resource.NW_IN) {
      throw new RangeError(`optimalityBound covers DISK and NW_IN only, not resource ${resource}`);
    }
  }

  const roleDependent = firstRoleDependentPartition(model);
  if (roleDependent >= 0) {
    return {
      status: 'skipped',
      simpleBoundMb: 0,
      reason: `partition ${roleDependent}: leader and follower DISK or NW_IN differ, so leadership moves them`,
    };
  }

  // Loads on the original placement; a replica's DISK and NW_IN do not depend on its role.
  const diskMb = (r: number) => model.followerLoadOf(model.replicaPartition[r]!, Resource.DISK);
  const nwIn = (r: number) => model.followerLoadOf(model.replicaPartition[r]!, Resource.NW_IN);
  const baseDisk = new Float64Array(model.brokerCount);
  const baseNw = new Float64Array(model.brokerCount);
  const movable: number[] = [];
  let totalDisk = 0;
  let totalNw = 0;
  for (let r = 0; r < model.replicaCount; r++) {
    const b = model.originalBroker[r]!;
    const fixed = !canMove(model.replicaPartition[r]!);
    // Replicas that cannot move stay on a dead broker and count for no alive one.
    if (fixed && !alive(b)) continue;
    totalDisk += diskMb(r);
    totalNw += nwIn(r);
    baseDisk[b]! += diskMb(r);
    baseNw[b]! += nwIn(r);
    if (!fixed && (diskMb(r) > 0 || nwIn(r) > 0)) movable.push(r);
  }

  const aliveBrokers: number[] = [];
  let diskCapacity = 0;
  let nwCapacity = 0;
  for (let b = 0; b < model.brokerCount; b++) {
    if (!alive(b)) continue;
    aliveBrokers.push(b);
    diskCapacity += model.brokerCapacityOf(b, Resource.DISK);
    nwCapacity += model.brokerCapacityOf(b, Resource.NW_IN);
  }
  if (aliveBrokers.length === 0) return { status: 'skipped', simpleBoundMb: 0, reason: 'no alive broker' };
  const band = (b: number, resource: Resource, mean: number, t: number, capacityShare: number) => {
    const capacity = model.brokerCapacityOf(b, resource);
    return {
      lower: capacity * mean * Math.max(0, 2 - t),
      upper: Math.min(capacity * mean * t, capacity * capacityShare),
    };
  };
  const diskMean = diskCapacity > 0 ? totalDisk / diskCapacity : 0;
  const nwMean = nwCapacity > 0 ? totalNw / nwCapacity : 0;
  const diskBand = (b: number) =>
    band(b, Resource.DISK, diskMean, thresholds.balanceThreshold.disk, thresholds.capacityThreshold.disk);
  const nwBand = (b: number) =>
    band(
      b,
      Resource.NW_IN,
      nwMean,
      thresholds.balanceThreshold.networkInbound,
      thresholds.capacityThreshold.networkInbound,
    );

  // The simple bound: what alive brokers hold above their upper DISK edge, and all a dead broker holds.
  let simpleBoundMb = 0;
  for (let b = 0; b < model.brokerCount; b++) {
    if (!alive(b)) simpleBoundMb += baseDisk[b]!;
    else if (resources.has(Resource.DISK)) simpleBoundMb += Math.max(0, baseDisk[b]! - diskBand(b).upper);
  }

  const classes = ratioClasses(movable, diskMb, nwIn, classCount);
  // Scale MB and KB/s to about one broker's share, so the tableau's numbers are near 1.
  const mbUnit = Math.max(totalDisk / aliveBrokers.length, 1e-9);
  const nwUnit = Math.max(totalNw / aliveBrokers.length, 1e-9);
  const { lp, deadMb } = fluidLp(model, movable, classes, { diskMb, nwIn, alive, mbUnit, nwUnit });
  const scaledBand = ({ lower, upper }: { lower: number; upper: number }, base: number, unit: number) => ({
    min: (lower - BAND_SLACK - base) / unit,
    max: (upper + BAND_SLACK - base) / unit,
  });
  lp.bands = aliveBrokers.map((c) => ({
    broker: c,
    disk: resources.has(Resource.DISK) ? scaledBand(diskBand(c), baseDisk[c]!, mbUnit) : null,
    nw: resources.has(Resource.NW_IN) ? scaledBand(nwBand(c), baseNw[c]!, nwUnit) : null,
  }));

  const primal = primalModel(lp);
  const variables = Object.keys(primal.variables).length;
  const constraints = Object.keys(primal.constraints).length;
  if (variables > maxVariables) {
    return {
      status: 'skipped',
      simpleBoundMb,
      reason: `${variables} LP variables exceed the limit of ${maxVariables}`,
    };
  }
  const started = performance.now();
  const solution = solvePrimal(lp, solver);
  const solveMs = performance.now() - started;
  const sizes = { solveMs, variables, constraints };
  if (!solution.feasible) {
    const names = [...resources].map((r) => (r === Resource.DISK ? 'DISK' : 'NW_IN')).join(' and ');
    return {
      status: 'infeasible',
      simpleBoundMb,
      reason: `no placement, even of divisible replicas, puts every alive broker within its ${names} bands`,
      ...sizes,
    };
  }
  if (!Number.isFinite(solution.result) || !solution.bounded) {
    return {
      status: 'skipped',
      simpleBoundMb,
      reason: `the LP solver returned no finite optimum (${solution.result})`,
    };
  }
  // What is reported is the Lagrangian value of the solver's multipliers, a bound whatever the
  // solver did; when the solve was optimal it equals the LP optimum (strong duality).
  const certified = lagrangianBound(lp, solution.multipliers);
  return {
    status: 'bounded',
    simpleBoundMb,
    lowerBoundMb: deadMb + Math.max(0, certified) * mbUnit,
    lpOptimumMb: deadMb + solution.result * mbUnit,
    ...sizes,
  };
}

/** The first partition whose leader and follower DISK or NW_IN differ, or -1. */
function firstRoleDependentPartition(model: ClusterModel): number {
  const differs = (a: number, b: number) => Math.abs(a - b) > 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  for (let p = 0; p < model.partitionCount; p++) {
    for (const k of [Resource.DISK, Resource.NW_IN]) {
      if (differs(model.leaderLoadOf(p, k), model.followerLoadOf(p, k))) return p;
    }
  }
  return -1;
}

interface RatioClasses {
  /** Class of each movable replica (by position in `movable`); `count` = the MB-free class. */
  of: Int32Array;
  /** Least and greatest NW_IN per MB in each class. */
  min: Float64Array;
  max: Float64Array;
  count: number;
}

/**
 * Quantile classes of NW_IN/MB over the movable replicas with MB; those without MB (NW_IN per MB
 * infinite) get a class of their own, index `count`.
 */
function ratioClasses(
  movable: readonly number[],
  diskMb: (r: number) => number,
  nwIn: (r: number) => number,
  classCount: number,
): RatioClasses {
  const withMb = movable.map((_, i) => i).filter((i) => diskMb(movable[i]!) > 0);
  const ratio = (i: number) => nwIn(movable[i]!) / diskMb(movable[i]!);
  const ratios = new Float64Array(movable.length);
  for (const i of withMb) ratios[i] = ratio(i);
  withMb.sort((a, b) => ratios[a]! - ratios[b]!);
  const count = Math.max(1, Math.min(classCount, withMb.length));
  const of = new Int32Array(movable.length).fill(count);
  const min = new Float64Array(count).fill(Infinity);
  const max = new Float64Array(count).fill(-Infinity);
  withMb.forEach((i, rank) => {
    const k = Math.floor((rank * count) / withMb.length);
    of[i] = k;
    min[k] = Math.min(min[k]!, ratios[i]!);
    max[k] = Math.max(max[k]!, ratios[i]!);
  });
  return { of, min, max, count };
}

interface LpInputs {
  diskMb: (r: number) => number;
  nwIn: (r: number) => number;
  alive: (b: number) => boolean;
  mbUnit: number;
  nwUnit: number;
}

/**
 * The LP without its bands: per (alive source, pool) an `out` bounded by the source's part of the
 * class total; dead brokers' classes leave whole, as pool supply and as `deadMb`. Pools are
 * (class, lo at rmin | hi at rmax) for classes with MB, and one for MB-free replicas.
 */
function fluidLp(
  model: ClusterModel,
  movable: readonly number[],
  classes: RatioClasses,
  { diskMb, nwIn, alive, mbUnit, nwUnit }: LpInputs,
): { lp: FluidLp; deadMb: number } {
  const K = classes.count + 1; // + the MB-free class
  const mb = new Float64Array(model.brokerCount * K);
  const nw = new Float64Array(model.brokerCount * K);
  movable.forEach((r, i) => {
    const cell = model.originalBroker[r]! * K + classes.of[i]!;
    mb[cell]! += diskMb(r) / mbUnit;
    nw[cell]! += nwIn(r) / nwUnit;
  });
  const nwPerMb = mbUnit / nwUnit; // scaled NW_IN per scaled MB at ratio 1
  const allPools: FluidPool[] = [];
  for (let k = 0; k < classes.count; k++) {
    allPools.push({ mbPer: 1, nwPer: classes.min[k]! * nwPerMb, supply: 0 });
    allPools.push({ mbPer: 1, nwPer: classes.max[k]! * nwPerMb, supply: 0 });
  }
  allPools.push({ mbPer: 0, nwPer: 1, supply: 0 });
  const outs: FluidOut[] = [];
  let deadMb = 0;
  for (let b = 0; b < model.brokerCount; b++) {
    for (let k = 0; k < K; k++) {
      const cellMb = mb[b * K + k]!;
      const cellNw = nw[b * K + k]!;
      if (cellMb <= 0 && cellNw <= 0) continue;
      const parts: [number, number][] =
        k === classes.count ? [[allPools.length - 1, cellNw]] : splitParts(k, cellMb, cellNw, allPools);
      for (const [pool, amount] of parts) {
        if (amount <= 0) continue;
        if (alive(b)) outs.push({ broker: b, pool, upTo: amount });
        else {
          allPools[pool]!.supply += amount;
          deadMb += amount * allPools[pool]!.mbPer * mbUnit;
        }
      }
    }
  }
  // Keep only pools something flows through.
  const used = allPools.map((pool, p) => pool.supply > 0 || outs.some((o) => o.pool === p));
  const index = new Int32Array(allPools.length).fill(-1);
  const pools: FluidPool[] = [];
  allPools.forEach((pool, p) => {
    if (!used[p]) return;
    index[p] = pools.length;
    pools.push(pool);
  });
  for (const out of outs) out.pool = index[out.pool]!;
  return { lp: { pools, outs, bands: [] }, deadMb };
}

/**
 * Splits a class-k total (scaled MB, NW_IN) into its part at rmin and its part at rmax: the unique
 * lo + hi = MB, rmin·lo + rmax·hi = NW_IN. Pools 2k and 2k + 1 carry the two ratios.
 */
function splitParts(k: number, cellMb: number, cellNw: number, pools: readonly FluidPool[]): [number, number][] {
  const lo = 2 * k;
  const hi = 2 * k + 1;
  const rmin = pools[lo]!.nwPer;
  const rmax = pools[hi]!.nwPer;
  // One ratio in the class (or rounding-close): all of it at rmin.
  if (rmax - rmin <= 1e-12 * rmax) return [[lo, cellMb]];
  const hiMb = Math.min(cellMb, Math.max(0, (cellNw - rmin * cellMb) / (rmax - rmin)));
  return [
    [lo, cellMb - hiMb],
    [hi, hiMb],
  ];
}

// The "fluid" LP behind optimalityBound: replicas as divisible flows per (broker, NW_IN/MB class),
// its primal and dual in javascript-lp-solver's JSON form, and the Lagrangian bound that certifies it.
import type { Model as LpModel, SolverAPI } from 'javascript-lp-solver';

/** Replica totals of one alive broker that may leave it: `upTo` units of one pool. */
export interface FluidOut {
  broker: number;
  pool: number;
  upTo: number;
}

/** A pool moves `mbPer` MB and `nwPer` NW_IN per unit (both scaled); MB-free replicas have mbPer 0. */
export interface FluidPool {
  mbPer: number;
  nwPer: number;
  /** Units dead brokers pour in: all they hold must land on alive brokers. */
  supply: number;
}

/** An alive broker's allowed change of DISK and NW_IN (scaled, relative to what it holds); null: free. */
export interface FluidBand {
  broker: number;
  disk: { min: number; max: number } | null;
  nw: { min: number; max: number } | null;
}

/** The LP: minimize the MB of `outs` so that every band holds once the pools are handed out. */
export interface FluidLp {
  pools: FluidPool[];
  outs: FluidOut[];
  bands: FluidBand[];
}

/** Row bounds as javascript-lp-solver takes them. */
type Row = { min?: number; max?: number; equal?: number };
type JsonModel = LpModel & { constraints: Record<string, Row>; variables: Record<string, Record<string, number>> };

// Cycle detection makes the solver answer "infeasible" on a degenerate cycle; its Bland fallback
// does not. Presolve only fixes variables (zeroing their cost), which the multipliers read below
// do not expect, so it is off.
const SOLVER_OPTIONS = { exitOnCycles: false, presolve: false };

/** Variables `o<i>` (out i), `i<c>_<p>` (pool p to band c's broker); rows `d<c>`, `n<c>` (first), `u<i>`, `p<p>`. */
export function primalModel(lp: FluidLp): JsonModel {
  const variables: JsonModel['variables'] = {};
  const constraints: JsonModel['constraints'] = {};
  // Band rows first: solvePrimal reads their multipliers by position.
  lp.bands.forEach(({ disk, nw }, c) => {
    if (disk) constraints[`d${c}`] = { ...disk };
    if (nw) constraints[`n${c}`] = { ...nw };
  });
  const bandRow = new Map(lp.bands.map((band, c) => [band.broker, c]));
  lp.outs.forEach(({ broker, pool, upTo }, i) => {
    const { mbPer, nwPer } = lp.pools[pool]!;
    const c = bandRow.get(broker)!;
    variables[`o${i}`] = { mb: mbPer, [`p${pool}`]: 1, [`d${c}`]: -mbPer, [`n${c}`]: -nwPer, [`u${i}`]: 1 };
    constraints[`u${i}`] = { max: upTo };
  });
  lp.pools.forEach(({ mbPer, nwPer, supply }, p) => {
    // Σ out − Σ in = −(what dead brokers pour in): every unit that leaves lands on an alive broker.
    constraints[`p${p}`] = { equal: -supply };
    lp.bands.forEach((_, c) => {
      variables[`i${c}_${p}`] = { [`p${p}`]: -1, [`d${c}`]: mbPer, [`n${c}`]: nwPer };
    });
  });
  return { optimize: 'mb', opType: 'min', constraints, variables, options: SOLVER_OPTIONS };
}

/** Non-negative band multipliers per band row (DISK lower α, upper β; NW_IN lower γ, upper δ). */
export interface BandMultipliers {
  alpha: Float64Array;
  beta: Float64Array;
  gamma: Float64Array;
  delta: Float64Array;
}

/** The solver's answer, with band multipliers read off its final tableau. */
export interface PrimalSolution {
  feasible: boolean;
  bounded: boolean;
  /** The LP optimum the solver found, scaled MB. */
  result: number;
  multipliers: BandMultipliers;
}

/** What {@link solvePrimal} reads of the solver's full solution; the package does not type it. */
interface SolverTableau {
  matrix: Float64Array;
  colByVarIndex: number[];
  model: { constraints: { slack: { index: number } }[] };
}

/**
 * Solves the primal. The band multipliers are the cost-row entries of the band rows' slack columns
 * in the final tableau (0 for a slack in the basis), taken by magnitude: the bound is evaluated by
 * {@link lagrangianBound}, which is valid for any non-negative multipliers, so a misread only
 * weakens it. Band rows are the model's first rows, each row's `min` before its `max`.
 */
export function solvePrimal(lp: FluidLp, solver: SolverAPI): PrimalSolution {
  const full = solver.Solve(primalModel(lp), undefined, true) as {
    feasible: boolean;
    bounded: boolean;
    evaluation: number;
    _tableau: SolverTableau;
  };
  const n = lp.bands.length;
  const multipliers: BandMultipliers = {
    alpha: new Float64Array(n),
    beta: new Float64Array(n),
    gamma: new Float64Array(n),
    delta: new Float64Array(n),
  };
  if (full.feasible) {
    const tableau = full._tableau;
    let row = 0;
    const next = () => {
      const column = tableau.colByVarIndex[tableau.model.constraints[row++]!.slack.index];
      return column === undefined || column < 0 ? 0 : Math.abs(tableau.matrix[column]!);
    };
    lp.bands.forEach(({ disk, nw }, c) => {
      if (disk) {
        multipliers.alpha[c] = next();
        multipliers.beta[c] = next();
      }
      if (nw) {
        multipliers.gamma[c] = next();
        multipliers.delta[c] = next();
      }
    });
  }
  return { feasible: full.feasible, bounded: full.bounded, result: full.evaluation, multipliers };
}

/**
 * The Lagrangian bound of the LP for band multipliers `m` (any non-negative values): price the
 * band rows, keep 0 ≤ out ≤ upTo and in ≥ 0 as they are, and take each pool's price π_p as high as
 * keeps every `in` column's reduced cost ≥ 0 (the bound only grows with π_p). By weak duality the
 * result is ≤ the LP optimum whatever the solver did, so it is the number reported. Scaled MB.
 */
export function lagrangianBound(lp: FluidLp, m: BandMultipliers): number {
  const price = (c: number, pool: FluidPool) => {
    const { disk, nw } = lp.bands[c]!;
    return (disk ? (m.beta[c]! - m.alpha[c]!) * pool.mbPer : 0) + (nw ? (m.delta[c]! - m.gamma[c]!) * pool.nwPer : 0);
  };
  let bound = 0;
  const pi = lp.pools.map((pool) => {
    let lowest = Infinity;
    for (let c = 0; c < lp.bands.length; c++) lowest = Math.min(lowest, price(c, pool));
    bound += lowest * pool.supply;
    return lowest;
  });
  lp.bands.forEach(({ disk, nw }, c) => {
    if (disk) bound += m.alpha[c]! * disk.min - m.beta[c]! * disk.max;
    if (nw) bound += m.gamma[c]! * nw.min - m.delta[c]! * nw.max;
  });
  const bandRow = new Map(lp.bands.map((band, c) => [band.broker, c]));
  for (const { broker, pool, upTo } of lp.outs) {
    const reducedCost = lp.pools[pool]!.mbPer + pi[pool]! - price(bandRow.get(broker)!, lp.pools[pool]!);
    bound += upTo * Math.min(0, reducedCost);
  }
  return bound;
}

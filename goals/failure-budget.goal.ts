// FailureBudgetGoal (Ballast's, beyond Cruise Control): the cluster survives the loss of any one
// broker. When a broker is lost, each partition it leads fails over to the next live replica; every
// survivor must stay under its network-out and CPU capacity thresholds (0.8 / 0.7 of capacity) and
// every partition must keep min.insync.replicas live replicas. Hard. It moves leadership, then
// followers, away from survivors that a failover would overload, re-homes replicas of dead brokers
// for partitions one loss away from their min ISR, and vetoes later moves that make any survivor's
// worst case newly exceed its limit (or worse when it already does).
import { Resource, type ClusterModel } from '../src/model/index.js';
import {
  failoverDelta,
  failoverPair,
  FAILOVER_RESOURCES,
  FailoverLedger,
  isAliveBroker,
  liveReplicas,
  minInsyncOf,
  Placement,
} from './support/failover-ledger.js';
import type { Goal, GoalContext, GoalState, GoalStatus, GoalThresholds, Move } from './support/goal.js';
import { brokersByUtilization, loadShift, replicaMove, replicasByBroker, replicasOn } from './support/model-queries.js';

const K = FAILOVER_RESOURCES.length;
const EPSILON = 1e-9;
/** Rounds of the load repair; each only makes moves that lower some survivor's worst case. */
const MAX_ROUNDS = 3;

function limitOf(model: ClusterModel, broker: number, k: number, t: GoalThresholds): number {
  const [resource, key] = FAILOVER_RESOURCES[k]!;
  return model.brokerCapacityOf(broker, resource) * t.capacityThreshold[key];
}

/** Partitions whose failover a move can change. */
function partitionsOf(model: ClusterModel, move: Move): number[] {
  if (move.kind === 'replica') return [model.replicaPartition[move.replica]!];
  if (move.kind === 'swap') return [model.replicaPartition[move.a]!, model.replicaPartition[move.b]!];
  if (move.kind === 'leadership') return [move.partition];
  return [];
}

/** The failover ledger kept in step with every move of the run, and a worst-case cache per survivor. */
class FailureBudgetState implements GoalState {
  ledger: FailoverLedger;
  private readonly worstInflow: Float64Array;
  private readonly stale: Uint8Array;
  readonly placement: Placement;
  /** A second placement for the model after a move being judged (the first stays the current one). */
  private readonly proposed: Placement;

  constructor(readonly model: ClusterModel) {
    this.ledger = new FailoverLedger(model);
    this.worstInflow = new Float64Array(model.brokerCount * K);
    this.stale = new Uint8Array(model.brokerCount).fill(1);
    this.placement = new Placement(model);
    this.proposed = new Placement(model);
  }

  beforeMove(move: Move): void {
    for (const p of partitionsOf(this.model, move)) this.touch(p, -1);
  }

  afterMove(move: Move): void {
    for (const p of partitionsOf(this.model, move)) this.touch(p, 1);
  }

  reset(): void {
    this.ledger = new FailoverLedger(this.model);
    this.stale.fill(1);
  }

  private touch(partition: number, sign: 1 | -1): void {
    const [, to] = failoverPair(this.placement.current(), partition);
    if (to >= 0) this.stale[to] = 1;
    this.ledger.account(partition, sign);
  }

  /** The most any single loss adds to `survivor` for slot `k`. O(1), or O(brokers) after a change. */
  inflow(survivor: number, k: number): number {
    if (this.stale[survivor] === 1) {
      for (let kk = 0; kk < K; kk++) this.worstInflow[survivor * K + kk] = this.scanInflow(survivor, kk, null);
      this.stale[survivor] = 0;
    }
    return this.worstInflow[survivor * K + k]!;
  }

  /** Max over alive lost brokers of the extra load on `survivor`, with `adjust` applied first. */
  scanInflow(survivor: number, k: number, adjust: ((lost: number) => number) | null): number {
    let worst = 0;
    for (let lost = 0; lost < this.model.brokerCount; lost++) {
      if (lost === survivor || !isAliveBroker(this.model, lost)) continue;
      const extra = this.ledger.extra(lost, survivor, k) + (adjust ? adjust(lost) : 0);
      if (extra > worst) worst = extra;
    }
    return worst;
  }

  /** Load of slot `k` on `survivor` plus the worst single loss's failover onto it. */
  worstCase(survivor: number, k: number): number {
    return this.model.brokerLoadOf(survivor, FAILOVER_RESOURCES[k]![0]) + this.inflow(survivor, k);
  }

  /**
   * True when no survivor's worst case newly exceeds its limit or exceeds it by more than now.
   * Allocation-light: at most two partitions and a few brokers change.
   */
  keepsBudget(move: Move, thresholds: GoalThresholds): boolean {
    const model = this.model;
    const partitions = partitionsOf(model, move);
    if (partitions.length === 0) return true;
    // (lost, survivor, partition, sign) of every ledger entry the move would change.
    const entries: number[] = [];
    const after = this.afterPlacement(move);
    for (const p of partitions) {
      const [lostBefore, toBefore] = failoverPair(this.placement.current(), p);
      if (lostBefore >= 0) entries.push(lostBefore, toBefore, p, -1);
      const [lostAfter, toAfter] = failoverPair(after, p);
      if (lostAfter >= 0) entries.push(lostAfter, toAfter, p, 1);
    }
    const survivors = new Set<number>();
    for (let i = 1; i < entries.length; i += 4) survivors.add(entries[i]!);
    const shifts = FAILOVER_RESOURCES.map(([resource]) => loadShift(model, move, resource));
    for (const [from, , to] of shifts) {
      if (from >= 0) survivors.add(from);
      survivors.add(to);
    }
    for (const s of survivors) {
      if (!isAliveBroker(model, s)) continue;
      for (let k = 0; k < K; k++) {
        const [from, minus, to, plus] = shifts[k]!;
        const load =
          model.brokerLoadOf(s, FAILOVER_RESOURCES[k]![0]) + (s === from ? minus : 0) + (s === to ? plus : 0);
        let raised = 0;
        let touched = false;
        for (let i = 0; i < entries.length; i += 4) {
          if (entries[i + 1] !== s) continue;
          touched = true;
          raised += Math.max(0, entries[i + 3]! * failoverDelta(model, entries[i + 2]!, k));
        }
        const before = this.worstCase(s, k);
        const limit = limitOf(model, s, k, thresholds);
        // An upper bound first (today's worst inflow plus every raise); the exact scan only when needed.
        let worstAfter = load + this.inflow(s, k) + raised;
        if (touched && worstAfter > limit + EPSILON && worstAfter > before + EPSILON) {
          worstAfter = load + this.scanInflow(s, k, (lost) => adjustment(model, entries, lost, s, k));
        }
        if (worstAfter > limit + EPSILON && worstAfter > before + EPSILON) return false;
      }
    }
    return true;
  }

  private afterPlacement(move: Move): Placement {
    const model = this.model;
    if (move.kind === 'replica') return this.proposed.moved(move.replica, move.toBroker);
    if (move.kind === 'swap') {
      const [ba, bb] = [model.replicaBroker[move.a]!, model.replicaBroker[move.b]!];
      return this.proposed.moved(move.a, bb, move.b, ba);
    }
    if (move.kind === 'leadership') return this.proposed.led(move.partition, move.toReplica);
    return this.proposed.current();
  }
}

function adjustment(model: ClusterModel, entries: number[], lost: number, survivor: number, k: number): number {
  let sum = 0;
  for (let i = 0; i < entries.length; i += 4) {
    if (entries[i] === lost && entries[i + 1] === survivor)
      sum += entries[i + 3]! * failoverDelta(model, entries[i + 2]!, k);
  }
  return sum;
}

/** RF − 1 ≥ min ISR: some placement keeps the partition writable after one loss. */
function fixable(model: ClusterModel, p: number, t: GoalThresholds): boolean {
  const rf = model.partitionReplicaStart[p + 1]! - model.partitionReplicaStart[p]!;
  return rf - 1 >= minInsyncOf(model, t.minInsyncReplicas, p);
}

function shortAfterOneLoss(model: ClusterModel, p: number, t: GoalThresholds): boolean {
  return liveReplicas(model, p) - 1 < minInsyncOf(model, t.minInsyncReplicas, p);
}

function stateOf(ctx: GoalContext): FailureBudgetState {
  return (ctx.state as FailureBudgetState | undefined) ?? new FailureBudgetState(ctx.model);
}

export const failureBudgetGoal: Goal = {
  name: 'FailureBudgetGoal',
  hard: true,

  createState: (model) => new FailureBudgetState(model),

  optimize(ctx: GoalContext): void {
    const { model, thresholds } = ctx;
    const state = stateOf(ctx);
    const tryOwn = (move: Move) => state.keepsBudget(move, thresholds) && ctx.tryMove(move);
    // Partitions one loss away from their min ISR because replicas sit on dead brokers: re-home those.
    for (let p = 0; p < model.partitionCount; p++) {
      if (!ctx.canMovePartition(p) || !fixable(model, p, thresholds) || !shortAfterOneLoss(model, p, thresholds))
        continue;
      for (let r = model.partitionReplicaStart[p]!; r < model.partitionReplicaStart[p + 1]!; r++) {
        if (isAliveBroker(model, model.replicaBroker[r]!)) continue;
        for (const dest of brokersByUtilization(model, Resource.NW_OUT)) {
          if (
            ctx.canReceiveReplica(dest) &&
            model.replicaOnBroker(p, dest) === -1 &&
            tryOwn(replicaMove(model, r, dest))
          )
            break;
        }
      }
    }
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const grouping = replicasByBroker(model);
      let moved = 0;
      for (let s = 0; s < model.brokerCount; s++) {
        if (!isAliveBroker(model, s)) continue;
        for (let k = 0; k < K; k++) {
          const over = () => state.worstCase(s, k) > limitOf(model, s, k, thresholds) + EPSILON;
          if (!over()) continue;
          // Leadership off the survivor first (no data moves), then followers that a loss would promote.
          for (const r of replicasOn(grouping, model, s)) {
            if (!over()) break;
            const p = model.replicaPartition[r]!;
            if (!ctx.canMovePartition(p)) continue;
            if (model.isLeader(r)) {
              for (let o = model.partitionReplicaStart[p]!; o < model.partitionReplicaStart[p + 1]!; o++) {
                if (o === r || !ctx.canLead(model.replicaBroker[o]!)) continue;
                if (tryOwn({ kind: 'leadership', partition: p, toReplica: o })) {
                  moved++;
                  break;
                }
              }
              continue;
            }
            const pair = failoverPair(state.placement.current(), p);
            if (pair[1] !== s || failoverDelta(model, p, k) <= 0) continue;
            for (const dest of brokersByUtilization(model, FAILOVER_RESOURCES[k]![0])) {
              if (dest === s || !ctx.canReceiveReplica(dest) || model.replicaOnBroker(p, dest) !== -1) continue;
              if (tryOwn(replicaMove(model, r, dest))) {
                moved++;
                break;
              }
            }
          }
        }
      }
      if (moved === 0) break;
    }
  },

  accepts(model: ClusterModel, move: Move, thresholds: GoalThresholds, state?: GoalState): boolean {
    return ((state as FailureBudgetState | undefined) ?? new FailureBudgetState(model)).keepsBudget(move, thresholds);
  },

  status(model: ClusterModel, thresholds: GoalThresholds, inScope?: (partition: number) => boolean): GoalStatus {
    const state = new FailureBudgetState(model);
    const details: string[] = [];
    let violations = 0;
    for (let s = 0; s < model.brokerCount; s++) {
      if (!isAliveBroker(model, s)) continue;
      for (let k = 0; k < K; k++) {
        const worst = state.worstCase(s, k);
        const limit = limitOf(model, s, k, thresholds);
        if (worst <= limit + EPSILON) continue;
        violations++;
        if (details.length < 5)
          details.push(
            `broker ${model.brokerKafkaId(s)} would carry ${worst.toFixed(1)} ${FAILOVER_RESOURCES[k]![1]} after the worst single loss, over its limit ${limit.toFixed(1)}`,
          );
      }
    }
    let unfixable = 0;
    for (let p = 0; p < model.partitionCount; p++) {
      if ((inScope && !inScope(p)) || !shortAfterOneLoss(model, p, thresholds)) continue;
      if (!fixable(model, p, thresholds)) {
        unfixable++;
        continue;
      }
      violations++;
      if (details.length < 5) {
        details.push(
          `${model.partitionName(p)} would fall below min.insync.replicas after one more loss (replicas on dead brokers)`,
        );
      }
    }
    // No placement helps a partition with RF ≤ min.insync.replicas: reported, not held against moves.
    if (unfixable > 0)
      details.push(
        `${unfixable} partition(s) have replication factor ≤ min.insync.replicas: raise their RF to survive a loss`,
      );
    return { satisfied: violations === 0, violations, details };
  },
};

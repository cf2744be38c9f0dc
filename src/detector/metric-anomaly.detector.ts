// Metric anomaly (slow broker), after Cruise Control's SlowBrokerFinder: a broker whose log flush or
// produce local-time 99.9th percentile stands far above both its own history and its peers' values
// now gains a point of slowness each detection, and loses one when it does not. At the demotion
// score it is an anomaly healed by demotion; if it stays slow up to the removal score (and removal
// is enabled), by removal. Comparing with both keeps a cluster-wide slowdown (every broker above
// its history) and a broker that was always slower (above its peers only) from being flagged. A broker
// copying in replicas for a move in flight keeps its score until the copy ends. Pure.
import type { BrokerLatencySample } from '../monitor/index.js';
import { brokerList, carryFirstSeen, formatDurationMs, type MetricAnomaly, type SlowBroker } from './anomaly.js';

export interface SlowBrokerSettings {
  minHistorySamples: number;
  logFlushTimeThresholdMs: number;
  produceLocalTimeThresholdMs: number;
  bytesInRateThresholdBytesPerSecond: number;
  historyPercentile: number;
  historyMargin: number;
  peerPercentile: number;
  peerMargin: number;
  demotionScore: number;
  removalScore: number;
  removalEnabled: boolean;
}

export interface MetricAnomalyDetection {
  anomaly: MetricAnomaly | null;
  /** Slowness score per broker id; brokers at 0 are left out. */
  scores: Record<string, number>;
  /** When each broker now at or above the demotion score first got there, by broker id. */
  firstSeen: Record<string, number>;
}

type LatencyMetric = 'logFlushTimeMs999th' | 'produceLocalTimeMs999th';
const METRICS: readonly LatencyMetric[] = ['logFlushTimeMs999th', 'produceLocalTimeMs999th'];

/**
 * Scores every live broker on its latest latency sample.
 * @param history each broker's samples, oldest first (the load monitor's BrokerLatencyHistory)
 * @param leadersByBroker partitions each broker leads now: a demoted broker leads none
 * @param receivingMoves brokers copying data in for a move in flight: the copy's writes slow its
 *   log flushes and produce handling, so its latest sample says nothing of how it does settled
 */
export function detectSlowBrokers(
  history: ReadonlyMap<number, readonly BrokerLatencySample[]>,
  liveBrokers: readonly number[],
  leadersByBroker: ReadonlyMap<number, number>,
  settings: SlowBrokerSettings,
  previous: { scores: Readonly<Record<string, number>>; firstSeen: Readonly<Record<string, number>> },
  nowMs: number,
  receivingMoves: ReadonlySet<number> = new Set(),
): MetricAnomalyDetection {
  const latest = new Map<number, BrokerLatencySample>();
  for (const id of liveBrokers) {
    const samples = history.get(id);
    if (samples !== undefined && samples.length > 0) latest.set(id, samples.at(-1)!);
  }
  const scores: Record<string, number> = {};
  const evidence = new Map<number, Omit<SlowBroker, 'brokerId' | 'score' | 'leaderCount'>>();
  for (const id of liveBrokers) {
    const before = previous.scores[id] ?? 0;
    if (receivingMoves.has(id)) {
      if (before > 0) scores[id] = before;
      continue;
    }
    const slow = slowOn(id, history.get(id) ?? [], latest, settings);
    const score = slow === null ? Math.max(0, before - 1) : before + 1;
    if (score > 0) scores[id] = score;
    if (slow !== null) evidence.set(id, slow);
  }
  const flagged = liveBrokers.filter((id) => (scores[id] ?? 0) >= settings.demotionScore).sort((a, b) => a - b);
  const firstSeen = carryFirstSeen(
    previous.firstSeen,
    flagged.map((id) => String(id)),
    nowMs,
  );
  if (flagged.length === 0) return { anomaly: null, scores, firstSeen };

  const slowBrokers: SlowBroker[] = flagged.map((id) => ({
    brokerId: id,
    score: scores[id]!,
    leaderCount: leadersByBroker.get(id) ?? 0,
    // A broker on its way down keeps the evidence of its last slow detection out of the record.
    ...(evidence.get(id) ?? { metric: null, valueMs: null, historyMs: null, peersMs: null }),
  }));
  const toRemove = settings.removalEnabled ? flagged.filter((id) => scores[id]! >= settings.removalScore) : [];
  const toDemote = flagged.filter((id) => !toRemove.includes(id) && (leadersByBroker.get(id) ?? 0) > 0);
  const action = toRemove.length > 0 ? 'REMOVE' : toDemote.length > 0 ? 'DEMOTE' : 'NONE';
  const firstSeenMs = Math.min(...Object.values(firstSeen));
  const details = slowBrokers.map(
    (b) =>
      `broker ${b.brokerId} score ${b.score}` +
      (b.metric !== null
        ? ` (${b.metric} ${b.valueMs} ms; own p${settings.historyPercentile} ${b.historyMs} ms, peers ${b.peersMs} ms)`
        : ''),
  );
  return {
    anomaly: {
      type: 'METRIC_ANOMALY',
      id: `METRIC_ANOMALY:${flagged.join(',')}`,
      firstSeenMs,
      slowBrokers,
      action,
      brokersToDemote: toDemote,
      brokersToRemove: toRemove,
      description: `slow ${brokerList(flagged)}: ${details.join('; ')} (for ${formatDurationMs(nowMs - firstSeenMs)})`,
    },
    scores,
    firstSeen,
  };
}

/** Why broker `id` is slow on its latest sample, or null when it is not (or cannot be judged). */
function slowOn(
  id: number,
  samples: readonly BrokerLatencySample[],
  latest: ReadonlyMap<number, BrokerLatencySample>,
  s: SlowBrokerSettings,
): Omit<SlowBroker, 'brokerId' | 'score' | 'leaderCount'> | null {
  const now = latest.get(id);
  if (now === undefined || now.bytesInPerSecond < s.bytesInRateThresholdBytesPerSecond) return null;
  const past = samples.slice(0, -1);
  if (past.length < s.minHistorySamples) return null;
  for (const metric of METRICS) {
    const value = now[metric];
    const floorMs = metric === 'logFlushTimeMs999th' ? s.logFlushTimeThresholdMs : s.produceLocalTimeThresholdMs;
    if (value === null || value < floorMs) continue;
    const own = percentile(
      past.map((p) => p[metric]).filter((v): v is number => v !== null),
      s.historyPercentile,
    );
    const peers = percentile(
      [...latest]
        .filter(([peer, p]) => peer !== id && p.bytesInPerSecond >= s.bytesInRateThresholdBytesPerSecond)
        .map(([, p]) => p[metric])
        .filter((v): v is number => v !== null),
      s.peerPercentile,
    );
    if (own === null || peers === null) continue;
    if (value > s.historyMargin * own && value > s.peerMargin * peers) {
      return { metric, valueMs: value, historyMs: own, peersMs: peers };
    }
  }
  return null;
}

/** Nearest-rank percentile; null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

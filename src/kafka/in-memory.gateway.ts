// InMemoryGateway: a Kafka cluster held in memory for unit tests of pure logic, with test controls
// to break it (kill brokers, fail log dirs) and to let time pass (finish reassignments).
import type { ClusterSnapshot } from './cluster-snapshot.js';
import { alterConfigs as applyConfigChanges, configsOf } from './in-memory/configs.js';
import {
  type BrokerState,
  type ClusterState,
  type InMemoryClusterSpec,
  type PartitionState,
  allPartitions,
  buildState,
  changeIsr,
  dropOfflineReplicas,
  findPartition,
  isOnline,
  isReassigning,
  startReassignment,
} from './in-memory/model.js';
import { buildSnapshot } from './in-memory/snapshot.js';
import {
  type ActionResult,
  type ConfigChange,
  type ConfigChangeResult,
  KafkaGateway,
  type LogDirMove,
  type PartitionResult,
  type ReassignmentTarget,
  type SnapshotOptions,
  type TopicPartition,
} from './kafka.gateway.js';

export type {
  InMemoryBrokerSpec,
  InMemoryClusterSpec,
  InMemoryLogDirSpec,
  InMemoryPartitionSpec,
  InMemoryTopicSpec,
} from './in-memory/model.js';
import { topicPartitionName } from '../common/pure.js';

/**
 * Behaves like a KRaft cluster for what Ballast's logic observes. Deliberate simplifications: no
 * replication lag (a replica with a leader to fetch from is caught up at once, except replicas a
 * reassignment adds, which stay copying until `completeReassignments`), no unclean elections, no
 * ELR, log dir moves finish at once. Misusing a test control (unknown broker, dir or partition)
 * throws: that is a bug in the test, not a Kafka error.
 */
export class InMemoryGateway extends KafkaGateway {
  private readonly state: ClusterState;

  constructor(spec: InMemoryClusterSpec) {
    super();
    this.state = buildState(spec);
  }

  // ---- Test controls -------------------------------------------------------------------------

  /**
   * The broker stops (fenced): it leaves every ISR, leadership moves to the next online ISR member
   * in assignment order. Like Kafka without ELR, an ISR never becomes empty: when the last in-sync
   * replica dies it stays in the ISR and the partition has no leader (-1) until that broker returns.
   */
  killBroker(id: number): void {
    this.broker(id).alive = false;
    dropOfflineReplicas(this.state);
  }

  /**
   * The broker comes back with all its log dirs usable again (Kafka re-opens failed dirs only on
   * restart). Leaderless partitions whose ISR holds one of its replicas elect it; then, wherever
   * its partitions have a leader, their online replicas rejoin the ISR (no lag is modelled) except
   * replicas a reassignment is still copying.
   */
  restartBroker(id: number): void {
    const broker = this.broker(id);
    broker.alive = true;
    for (const dir of broker.dirs) dir.failed = false;
    for (const p of allPartitions(this.state)) {
      if (!p.replicas.includes(id)) continue;
      changeIsr(this.state, p, p.isr);
      if (p.leader < 0) continue;
      const rejoining = p.replicas.filter((r) => !p.isr.includes(r) && !p.copying.has(r) && isOnline(this.state, p, r));
      if (rejoining.length > 0) changeIsr(this.state, p, [...p.isr, ...rejoining]);
    }
  }

  /** The broker takes one dir offline (I/O error): only the replicas on it go offline; the broker stays alive. */
  failLogDir(brokerId: number, path: string): void {
    const dir = this.broker(brokerId).dirs.find((d) => d.path === path);
    if (!dir) throw new Error(`Broker ${brokerId} has no log dir ${path}`);
    dir.failed = true;
    dropOfflineReplicas(this.state);
  }

  /**
   * Lets in-flight reassignments (all, or the given partitions) catch up: their online replicas
   * join the ISR, which completes the reassignment as Kafka does (removed replicas dropped, leader
   * re-elected if it was removed). A partition without a leader, or with a target replica offline,
   * cannot catch up and stays in progress. Returns the partitions that completed.
   */
  completeReassignments(partitions?: TopicPartition[]): TopicPartition[] {
    const chosen = partitions ? partitions.map((tp) => this.partition(tp)) : allPartitions(this.state);
    const completed: TopicPartition[] = [];
    for (const p of chosen) {
      if (!isReassigning(p) || p.leader < 0) continue;
      const catchingUp = p.replicas.filter(
        (r) => !p.isr.includes(r) && !p.removing.includes(r) && isOnline(this.state, p, r),
      );
      changeIsr(this.state, p, [...p.isr, ...catchingUp]);
      if (!isReassigning(p)) completed.push({ topic: p.topic, partition: p.partition });
    }
    return completed;
  }

  /** Sets the size of every replica of a partition, as its log grows or retention trims it. */
  setPartitionSize(tp: TopicPartition, sizeBytes: number): void {
    this.partition(tp).sizeBytes = sizeBytes;
  }

  /** Sets the clock that `snapshot().takenAtMs` reports. */
  setClock(ms: number): void {
    this.state.nowMs = ms;
  }

  /** Every dynamic config of a topic or broker (alive or not), by Kafka name; a copy. */
  configsOf(resource: ConfigChange['resource']): Record<string, string> {
    const configs = configsOf(this.state, resource);
    if (!configs) throw new Error(`No such ${resource.type}: ${JSON.stringify(resource)}`);
    return Object.fromEntries(configs);
  }

  // ---- KafkaGateway ---------------------------------------------------------------------------

  override snapshot(options?: SnapshotOptions): Promise<ClusterSnapshot> {
    return Promise.resolve(buildSnapshot(this.state, options));
  }

  override reassign(targets: ReassignmentTarget[]): Promise<PartitionResult[]> {
    return Promise.resolve(targets.map((t) => this.perPartition(t, (p) => this.reassignOne(p, t.replicas))));
  }

  override cancelReassignments(partitions: TopicPartition[]): Promise<PartitionResult[]> {
    return Promise.resolve(partitions.map((tp) => this.perPartition(tp, (p) => this.cancelOne(p))));
  }

  override electPreferredLeaders(partitions: TopicPartition[]): Promise<PartitionResult[]> {
    return Promise.resolve(partitions.map((tp) => this.perPartition(tp, (p) => this.electOne(p))));
  }

  override moveReplicasBetweenLogDirs(moves: LogDirMove[]): Promise<PartitionResult[]> {
    return Promise.resolve(moves.map((m) => this.perPartition(m, (p) => this.moveOne(p, m))));
  }

  override alterConfigs(changes: ConfigChange[]): Promise<ConfigChangeResult[]> {
    return Promise.resolve(applyConfigChanges(this.state, changes));
  }

  // ---- Per-partition actions ------------------------------------------------------------------

  /** Kafka checks replica lists against registered, unfenced brokers (Ballast never targets a dead one). */
  private reassignOne(p: PartitionState, target: number[]): ActionResult {
    const invalid = (message: string): ActionResult => ({ ok: false, error: 'INVALID_REPLICA_ASSIGNMENT', message });
    if (target.length === 0) return invalid('The replica list is empty');
    if (new Set(target).size !== target.length)
      return invalid(`The replica list [${target.join(', ')}] repeats a broker`);
    const unavailable = target.filter((id) => !this.state.brokers.get(id)?.alive);
    if (unavailable.length > 0) return invalid(`Brokers ${unavailable.join(', ')} do not exist or are not alive`);
    startReassignment(this.state, p, [...target]);
    return { ok: true };
  }

  /**
   * Reverts as KRaft does: replicas = current replicas minus the adding ones (so the order is the
   * merged order, target-first, not necessarily the order before the reassignment), ISR minus the
   * adding ones. Refused when an original replica is on a dead broker (KAFKA-14424).
   */
  private cancelOne(p: PartitionState): ActionResult {
    if (!isReassigning(p)) {
      return { ok: false, error: 'NO_REASSIGNMENT_IN_PROGRESS', message: `${name(p)} is not being reassigned` };
    }
    const original = p.replicas.filter((id) => !p.adding.includes(id));
    const dead = original.filter((id) => !this.state.brokers.get(id)?.alive);
    if (dead.length > 0) {
      return {
        ok: false,
        error: 'UNSAFE_CANCELLATION',
        message: `Original replicas of ${name(p)} are on dead brokers ${dead.join(', ')}: cancelling could leave it without a leader (KAFKA-14424)`,
      };
    }
    const isr = p.isr.filter((id) => !p.adding.includes(id));
    if (isr.length === 0) {
      // Kafka refuses this too unless unclean leader election is enabled, which the model never does.
      const message = `Reverting ${name(p)} would require an unclean leader election`;
      return { ok: false, error: 'INVALID_REPLICA_ASSIGNMENT', message };
    }
    for (const id of p.adding) {
      p.dirs.delete(id);
      p.copying.delete(id);
    }
    p.replicas = original;
    p.adding = [];
    p.removing = [];
    changeIsr(this.state, p, isr);
    return { ok: true };
  }

  private electOne(p: PartitionState): ActionResult {
    const preferred = p.replicas[0] ?? -1;
    if (p.leader === preferred) {
      return { ok: false, error: 'ELECTION_NOT_NEEDED', message: `${name(p)} is already led by ${preferred}` };
    }
    if (!p.isr.includes(preferred) || !isOnline(this.state, p, preferred)) {
      const message = `Preferred replica ${preferred} of ${name(p)} is not alive or not in the ISR`;
      return { ok: false, error: 'PREFERRED_LEADER_NOT_AVAILABLE', message };
    }
    p.leader = preferred;
    return { ok: true };
  }

  private moveOne(p: PartitionState, move: LogDirMove): ActionResult {
    const broker = this.state.brokers.get(move.brokerId);
    if (!broker?.alive) {
      return { ok: false, error: 'BROKER_NOT_AVAILABLE', message: `Broker ${move.brokerId} is not alive` };
    }
    if (!p.replicas.includes(move.brokerId)) {
      const message = `Broker ${move.brokerId} holds no replica of ${name(p)}`;
      return { ok: false, error: 'REPLICA_NOT_AVAILABLE', message };
    }
    const target = broker.dirs.find((d) => d.path === move.logDir);
    if (!target) {
      return { ok: false, error: 'LOG_DIR_NOT_FOUND', message: `Broker ${broker.id} has no log dir ${move.logDir}` };
    }
    const source = broker.dirs.find((d) => d.path === p.dirs.get(broker.id));
    const failed = [target, source].find((d) => d?.failed);
    if (failed) {
      return {
        ok: false,
        error: 'KAFKA_STORAGE_ERROR',
        message: `Log dir ${failed.path} of broker ${broker.id} failed`,
      };
    }
    // The copy is instantaneous: the replica (and its size) is simply on the new dir.
    p.dirs.set(broker.id, move.logDir);
    return { ok: true };
  }

  // ---- Lookups --------------------------------------------------------------------------------

  private perPartition(tp: TopicPartition, action: (p: PartitionState) => ActionResult): PartitionResult {
    const where = { topic: tp.topic, partition: tp.partition };
    const p = findPartition(this.state, tp);
    if (!p) {
      const message = `Unknown topic or partition ${topicPartitionName(tp.topic, tp.partition)}`;
      return { ...where, ok: false, error: 'UNKNOWN_TOPIC_OR_PARTITION', message };
    }
    return { ...where, ...action(p) };
  }

  private broker(id: number): BrokerState {
    const broker = this.state.brokers.get(id);
    if (!broker) throw new Error(`No broker ${id} in this in-memory cluster`);
    return broker;
  }

  private partition(tp: TopicPartition): PartitionState {
    const p = findPartition(this.state, tp);
    if (!p) throw new Error(`No partition ${topicPartitionName(tp.topic, tp.partition)} in this in-memory cluster`);
    return p;
  }
}

function name(p: PartitionState): string {
  return `${p.topic}-${p.partition}`;
}

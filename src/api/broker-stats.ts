// Cruise Control's BrokerStats (GET /load, responses/brokerStats.yaml) from a workload model, and
// its plain-text table. Units as Cruise Control: MB, KB/s, CPU in percent.
import { Resource } from '../model/index.js';
import type { WorkloadModel } from '../monitor/index.js';

export interface DiskStats {
  DiskMB: number | 'DEAD';
  DiskPct: number | 'DEAD';
  NumLeaderReplicas: number;
  NumReplicas: number;
}

interface Utilization {
  DiskMB: number;
  DiskPct: number;
  CpuPct: number;
  LeaderNwInRate: number;
  FollowerNwInRate: number;
  NwOutRate: number;
  PnwOutRate: number;
  Replicas: number;
  Leaders: number;
  DiskCapacityMB: number;
  NetworkInCapacity: number;
  NetworkOutCapacity: number;
  NumCore: number;
}

export interface SingleBrokerStats extends Utilization {
  Host: string;
  Broker: number;
  Rack: string;
  BrokerState: 'ALIVE' | 'DEAD' | 'NEW' | 'DEMOTED' | 'BAD_DISKS';
  DiskState?: Record<string, DiskStats>;
  /** Ballast: where the capacity came from (`broker`, `default`, `estimated`). */
  CapacitySource: string;
}

export interface SingleHostStats extends Utilization {
  Host: string;
  Rack: string;
}

export interface BrokerStats {
  version: 1;
  hosts: SingleHostStats[];
  brokers: SingleBrokerStats[];
}

const pct = (load: number, capacity: number): number => (capacity > 0 ? (load * 100) / capacity : 0);

/**
 * Per-broker and per-host statistics. With `capacityOnly`, every load figure is 0 (Cruise Control's
 * `capacity_only`). `populateDiskInfo` adds each log dir's load (`DiskState`), "DEAD" for a failed dir.
 */
export function brokerStats(
  workload: WorkloadModel,
  options: { populateDiskInfo: boolean; capacityOnly: boolean },
): BrokerStats {
  const m = workload.model;
  const leaderNwIn = new Float64Array(m.brokerCount);
  const potentialNwOut = new Float64Array(m.brokerCount);
  const diskReplicas = new Int32Array(m.diskCount);
  const diskLeaders = new Int32Array(m.diskCount);
  for (let r = 0; r < m.replicaCount; r++) {
    const b = m.replicaBroker[r]!;
    const p = m.replicaPartition[r]!;
    const leader = m.partitionLeader[p] === r;
    if (leader) leaderNwIn[b]! += m.leaderLoadOf(p, Resource.NW_IN);
    // Potential network out: what the broker would send if every replica it holds led.
    potentialNwOut[b]! += m.leaderLoadOf(p, Resource.NW_OUT);
    const d = m.replicaDisk[r]!;
    if (d >= 0) {
      diskReplicas[d]!++;
      if (leader) diskLeaders[d]!++;
    }
  }
  const load = options.capacityOnly ? () => 0 : (b: number, resource: Resource) => m.brokerLoadOf(b, resource);
  const brokers: SingleBrokerStats[] = [];
  for (let b = 0; b < m.brokerCount; b++) {
    const info = workload.brokers.get(m.brokerKafkaId(b))!;
    const capacity = (resource: Resource) => m.brokerCapacityOf(b, resource);
    const diskMb = load(b, Resource.DISK);
    const nwIn = load(b, Resource.NW_IN);
    const leaderIn = options.capacityOnly ? 0 : leaderNwIn[b]!;
    const stats: SingleBrokerStats = {
      Host: info.host,
      Broker: info.kafkaId,
      Rack: info.rack,
      BrokerState: !info.alive ? 'DEAD' : info.failedLogDirs.length > 0 ? 'BAD_DISKS' : 'ALIVE',
      DiskMB: diskMb,
      DiskPct: pct(diskMb, capacity(Resource.DISK)),
      CpuPct: pct(load(b, Resource.CPU), capacity(Resource.CPU)),
      LeaderNwInRate: leaderIn,
      FollowerNwInRate: Math.max(0, nwIn - leaderIn),
      NwOutRate: load(b, Resource.NW_OUT),
      PnwOutRate: options.capacityOnly ? 0 : potentialNwOut[b]!,
      Replicas: options.capacityOnly ? 0 : m.brokerReplicaCount[b]!,
      Leaders: options.capacityOnly ? 0 : m.brokerLeaderCount[b]!,
      DiskCapacityMB: capacity(Resource.DISK),
      NetworkInCapacity: capacity(Resource.NW_IN),
      NetworkOutCapacity: capacity(Resource.NW_OUT),
      NumCore: info.capacity.numCores,
      CapacitySource: info.capacity.source,
    };
    if (options.populateDiskInfo) {
      stats.DiskState = {};
      for (let d = 0; d < m.diskCount; d++) {
        if (m.diskBroker[d] !== b) continue;
        const alive = m.diskAlive[d] === 1;
        const mb = options.capacityOnly ? 0 : m.diskLoadMb[d]!;
        stats.DiskState[m.diskPath(d)] = {
          DiskMB: alive ? mb : 'DEAD',
          DiskPct: alive ? pct(mb, m.diskCapacityMb[d]!) : 'DEAD',
          NumLeaderReplicas: options.capacityOnly ? 0 : diskLeaders[d]!,
          NumReplicas: options.capacityOnly ? 0 : diskReplicas[d]!,
        };
      }
    }
    brokers.push(stats);
  }
  return { version: 1, hosts: hostStats(brokers), brokers };
}

/** Brokers summed per host (several brokers may share a machine). */
function hostStats(brokers: SingleBrokerStats[]): SingleHostStats[] {
  const hosts = new Map<string, SingleHostStats>();
  for (const b of brokers) {
    const h = hosts.get(b.Host);
    if (!h) {
      hosts.set(b.Host, {
        Host: b.Host,
        Rack: b.Rack,
        DiskMB: b.DiskMB,
        DiskPct: 0,
        CpuPct: 0,
        LeaderNwInRate: b.LeaderNwInRate,
        FollowerNwInRate: b.FollowerNwInRate,
        NwOutRate: b.NwOutRate,
        PnwOutRate: b.PnwOutRate,
        Replicas: b.Replicas,
        Leaders: b.Leaders,
        DiskCapacityMB: b.DiskCapacityMB,
        NetworkInCapacity: b.NetworkInCapacity,
        NetworkOutCapacity: b.NetworkOutCapacity,
        NumCore: b.NumCore,
      });
      continue;
    }
    h.DiskMB += b.DiskMB;
    h.LeaderNwInRate += b.LeaderNwInRate;
    h.FollowerNwInRate += b.FollowerNwInRate;
    h.NwOutRate += b.NwOutRate;
    h.PnwOutRate += b.PnwOutRate;
    h.Replicas += b.Replicas;
    h.Leaders += b.Leaders;
    h.DiskCapacityMB += b.DiskCapacityMB;
    h.NetworkInCapacity += b.NetworkInCapacity;
    h.NetworkOutCapacity += b.NetworkOutCapacity;
    h.NumCore += b.NumCore;
  }
  // Percentages of a host are of the host's summed capacity; CPU is the core-weighted mean.
  for (const h of hosts.values()) {
    h.DiskPct = pct(h.DiskMB, h.DiskCapacityMB);
    const onHost = brokers.filter((b) => b.Host === h.Host);
    h.CpuPct = onHost.reduce((sum, b) => sum + b.CpuPct * b.NumCore, 0) / Math.max(1, h.NumCore);
    if (new Set(onHost.map((b) => b.Rack)).size > 1) h.Rack = onHost.map((b) => b.Rack).join(',');
  }
  return [...hosts.values()];
}

/** Cruise Control's plain-text /load table. */
export function brokerStatsText(stats: BrokerStats): string {
  const header = [
    'HOST',
    'BROKER',
    'RACK',
    'BROKER_STATE',
    'DISK(MB)',
    'DISK(%)',
    'CPU(%)',
    'LEADER_NW_IN(KB/s)',
    'FOLLOWER_NW_IN(KB/s)',
    'NW_OUT(KB/s)',
    'PNW_OUT(KB/s)',
    'LEADERS/REPLICAS',
  ];
  const rows = stats.brokers.map((b) => [
    b.Host,
    String(b.Broker),
    b.Rack,
    b.BrokerState,
    b.DiskMB.toFixed(3),
    b.DiskPct.toFixed(3),
    b.CpuPct.toFixed(3),
    b.LeaderNwInRate.toFixed(3),
    b.FollowerNwInRate.toFixed(3),
    b.NwOutRate.toFixed(3),
    b.PnwOutRate.toFixed(3),
    `${b.Leaders}/${b.Replicas}`,
  ]);
  return table(header, rows);
}

/** Right-aligned columns separated by two spaces. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

// demote_broker: demoted replicas go last, leadership goes to the first replica that may lead,
// partitions that cannot be demoted are reported, and the executor turns it all into leader tasks.
import { describe, expect, it } from 'vitest';
import { UnknownBrokerError } from '../../../../src/analyzer/analyzer.errors.js';
import { demotionProposals } from '../../../../src/analyzer/operations/index.js';
import { tasksFromProposals } from '../../../../src/executor/index.js';
import { BrokerState, type ClusterModel, type PartitionMove } from '../../../../src/model/index.js';
import { randomInt, mulberry32, randomModel } from '../../../fixtures/random-model.js';
import { smallModel, type SmallPart } from '../../../fixtures/small-models.js';

const ALIVE = BrokerState.ALIVE;

/** Brokers 0..n-1, racks a, b, c, … in turn; `states` per broker (ALIVE by default). */
function model(brokers: number, parts: SmallPart[], states?: number[]): ClusterModel {
  return smallModel(
    Array.from({ length: brokers }, (_, b) => String.fromCharCode(97 + (b % 3))),
    parts,
    { states },
  );
}

const byPartition = (proposals: PartitionMove[]) =>
  Object.fromEntries(proposals.map((p) => [`${p.topic}-${p.partitionNumber}`, [p.newReplicas, p.newLeader]]));

describe('demotionProposals', () => {
  it('moves demoted replicas last and leadership to the first replica left, leaving other partitions alone', () => {
    const m = model(4, [
      { replicas: [1, 0, 2] }, // leader demoted: 0 leads, 1 goes last
      { replicas: [0, 1, 2] }, // leader stays, 1 goes last
      { replicas: [0, 2, 1] }, // already fine
      { replicas: [0, 2, 3] }, // no demoted replica
      { replicas: [2, 0, 1], leader: 2 }, // order fine, but the demoted broker leads
    ]);
    const { proposals, skipped, summary } = demotionProposals(m, [1]);
    expect(byPartition(proposals)).toEqual({
      't-0': [[0, 2, 1], 0],
      't-1': [[0, 2, 1], 0],
      't-4': [[2, 0, 1], 2],
    });
    expect(proposals[0]).toMatchObject({ oldReplicas: [1, 0, 2], oldLeader: 1, oldLogDirs: ['/d', '/d', '/d'] });
    expect(proposals[0]!.newLogDirs).toEqual(['/d', '/d', '/d']);
    expect(skipped).toEqual([]);
    expect(summary).toEqual({
      brokers: [{ brokerId: 1, leadersBefore: 2, leadersMovedOff: 2, leadersAfter: 0 }],
      leadersMoved: 2,
      partitionsReordered: 2,
      partitionsExcluded: 0,
    });
    // A plan, not a change: the model is as it was.
    expect(m.diff()).toEqual([]);
  });

  it('keeps the relative order of the replicas on either side, with several demoted brokers', () => {
    const m = model(6, [{ replicas: [3, 0, 4, 1, 5, 2] }]);
    const { proposals } = demotionProposals(m, [3, 1, 4]);
    expect(byPartition(proposals)).toEqual({ 't-0': [[0, 5, 2, 3, 4, 1], 0] });
  });

  it('gives leadership to neither a dead replica nor a broker demoted earlier', () => {
    // Broker 0 is dead, 1 is demoted now, 2 was demoted before (flagged in the model): 3 leads.
    const m = model(4, [{ replicas: [1, 0, 2, 3] }], [0, ALIVE, ALIVE | BrokerState.DEMOTED, ALIVE]);
    const { proposals } = demotionProposals(m, [1], { skipUrpDemotion: false });
    expect(byPartition(proposals)).toEqual({ 't-0': [[0, 2, 3, 1], 3] });
    // Under-replicated (broker 0 is dead): skipped by default, as Cruise Control's skip_urp_demotion.
    const urp = demotionProposals(m, [1]);
    expect(urp.proposals).toEqual([]);
    expect(urp.skipped).toEqual([{ topic: 't', partitionNumber: 0, reason: 'UNDER_REPLICATED' }]);
  });

  it('uses the caller’s under-replication when given (the snapshot’s ISR) instead of guessing from the model', () => {
    const m = model(3, [{ replicas: [1, 0, 2] }, { replicas: [1, 2, 0] }]);
    const result = demotionProposals(m, [1], { isUnderReplicated: (_topic, partition) => partition === 1 });
    expect(byPartition(result.proposals)).toEqual({ 't-0': [[0, 2, 1], 0] });
    expect(result.skipped).toEqual([{ topic: 't', partitionNumber: 1, reason: 'UNDER_REPLICATED' }]);
  });

  it('reports partitions with nowhere to put leadership, and offline ones, and changes neither', () => {
    const m = model(4, [
      { replicas: [1, 3] }, // both demoted
      { replicas: [1] }, // a single replica, demoted
      { replicas: [1, 2], leader: -1 }, // offline
      { replicas: [3, 0] },
    ]);
    const { proposals, skipped, summary } = demotionProposals(m, [1, 3]);
    expect(byPartition(proposals)).toEqual({ 't-3': [[0, 3], 0] });
    expect(skipped).toEqual([
      { topic: 't', partitionNumber: 0, reason: 'NO_ELIGIBLE_LEADER' },
      { topic: 't', partitionNumber: 1, reason: 'NO_ELIGIBLE_LEADER' },
      { topic: 't', partitionNumber: 2, reason: 'OFFLINE' },
    ]);
    expect(summary.brokers).toEqual([
      { brokerId: 1, leadersBefore: 2, leadersMovedOff: 0, leadersAfter: 2 },
      { brokerId: 3, leadersBefore: 1, leadersMovedOff: 1, leadersAfter: 0 },
    ]);
  });

  it('leaves excluded topics alone, and followers too when follower demotion is excluded', () => {
    const m = model(3, [
      { topic: 'keep', replicas: [1, 0] },
      { topic: 'move', replicas: [1, 0] },
      { topic: 'move', replicas: [0, 1, 2] }, // 1 is only a follower here
    ]);
    const all = demotionProposals(m, [1], { excludedTopics: /^keep$/g });
    expect(byPartition(all.proposals)).toEqual({ 'move-0': [[0, 1], 0], 'move-1': [[0, 2, 1], 0] });
    expect(all.summary.partitionsExcluded).toBe(1);
    const leadersOnly = demotionProposals(m, [1], { excludedTopics: /^keep$/, excludeFollowerDemotion: true });
    expect(byPartition(leadersOnly.proposals)).toEqual({ 'move-0': [[0, 1], 0] });
    expect(leadersOnly.summary.partitionsExcluded).toBe(2);
  });

  it("names the broker ids the cluster does not have, as the operation's brokers (the API names the parameter)", () => {
    const m = model(3, [{ replicas: [0, 1] }]);
    const attempt = () => demotionProposals(m, [1, 7, 9, 7]);
    expect(attempt).toThrow(UnknownBrokerError);
    expect(attempt).toThrow('The brokers of the operation name broker(s) the cluster does not have: 7, 9');
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: 'UNKNOWN_BROKER', role: 'brokers', brokerIds: [7, 9] });
      expect((error as UnknownBrokerError).forParameter('brokerid').message).toBe(
        "Parameter 'brokerid' names broker(s) the cluster does not have: 7, 9",
      );
    }
  });

  it('becomes leader tasks only: a reorder where the leader stays, an election where it moves, no data moved', () => {
    const m = model(4, [{ replicas: [1, 0, 2] }, { replicas: [0, 1, 2] }, { replicas: [3, 1, 2], leader: 1 }]);
    const tasks = tasksFromProposals(demotionProposals(m, [1]).proposals, () => ({ sizeBytes: 1 }));
    expect(tasks.map((t) => [t.kind, t.partition, t.oldLeader, t.newLeader, t.newReplicas])).toEqual([
      ['LEADER_ACTION', 0, 1, 0, [0, 2, 1]],
      ['LEADER_ACTION', 1, 0, 0, [0, 2, 1]],
      ['LEADER_ACTION', 2, 1, 3, [3, 2, 1]],
    ]);
  });

  it('holds on random clusters: same replicas, no duplicates, demoted last, an eligible leader, only changes proposed', () => {
    let proposed = 0;
    const reasons = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const m = randomModel(seed, { brokers: 9, racks: 3, partitions: 120, maxReplicationFactor: 4 });
      const random = mulberry32(seed * 31);
      const ids = m.tables.brokerKafkaIds;
      const demotedIds = [...new Set([ids[randomInt(random, ids.length)]!, ids[randomInt(random, ids.length)]!])];
      const skipUrpDemotion = seed % 2 === 0;
      const { proposals, skipped } = demotionProposals(m, demotedIds, { skipUrpDemotion });
      const isDemoted = (id: number) => demotedIds.includes(id);
      const mayLead = (id: number) => {
        const b = m.brokerIndex(id);
        return !isDemoted(id) && m.brokerHas(b, ALIVE) && !m.brokerHas(b, BrokerState.DEMOTED);
      };
      for (const p of proposals) {
        expect(new Set(p.newReplicas).size, `${p.topic}-${p.partitionNumber}`).toBe(p.newReplicas.length);
        expect([...p.newReplicas].sort()).toEqual([...p.oldReplicas].sort());
        const firstDemoted = p.newReplicas.findIndex(isDemoted);
        expect(firstDemoted).toBeGreaterThanOrEqual(0);
        expect(p.newReplicas.slice(firstDemoted).every(isDemoted)).toBe(true);
        expect(p.newReplicas.filter((id) => !isDemoted(id))).toEqual(p.oldReplicas.filter((id) => !isDemoted(id)));
        expect(mayLead(p.newLeader)).toBe(true);
        expect(p.newReplicas.includes(p.newLeader)).toBe(true);
        // Log dirs travel with their replicas.
        p.newReplicas.forEach((id, i) => expect(p.newLogDirs[i]).toBe(p.oldLogDirs[p.oldReplicas.indexOf(id)]));
        expect(
          p.newLeader !== p.oldLeader || p.newReplicas.some((id, i) => id !== p.oldReplicas[i]),
          'a proposal changes something',
        ).toBe(true);
      }
      // Every partition with a demoted replica is proposed, skipped, or already demoted.
      const touched = new Set([...proposals, ...skipped].map((p) => `${p.topic}-${p.partitionNumber}`));
      for (let part = 0; part < m.partitionCount; part++) {
        const name = `${m.tables.topicNames[m.partitionTopic[part]!]}-${m.partitionNumber[part]}`;
        if (touched.has(name)) continue;
        const replicas: number[] = [];
        for (let r = m.partitionReplicaStart[part]!; r < m.partitionReplicaStart[part + 1]!; r++)
          replicas.push(m.brokerKafkaId(m.replicaBroker[r]!));
        const firstDemoted = replicas.findIndex(isDemoted);
        if (firstDemoted < 0) continue;
        expect(replicas.slice(firstDemoted).every(isDemoted), name).toBe(true);
        expect(isDemoted(m.brokerKafkaId(m.replicaBroker[m.partitionLeader[part]!]!)), name).toBe(false);
      }
      // The executor makes leader tasks of them and nothing else.
      const tasks = tasksFromProposals(proposals, () => ({ sizeBytes: 1 }));
      expect(tasks.every((t) => t.kind === 'LEADER_ACTION' && t.newReplicas[0] === t.newLeader)).toBe(true);
      expect(tasks).toHaveLength(proposals.length);
      proposed += proposals.length;
      for (const s of skipped) reasons.add(s.reason);
    }
    // Not vacuous: plenty proposed, and every kind of skip met.
    expect(proposed).toBeGreaterThan(200);
    expect([...reasons].sort()).toEqual(['NO_ELIGIBLE_LEADER', 'OFFLINE', 'UNDER_REPLICATED']);
  });
});

// The Kafka sandbox against real brokers: start-up, topics with explicit placement, exact
// produce/consume counts, a dead disk, a SIGKILLed broker, a SIGSTOPped one read through Ballast's
// gateway, graceful stop/restart, a new broker.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaSandbox, waitFor } from '../../scripts/sandbox/index.js';
import { BallastConfig, loadConfig } from '../../src/config/index.js';
import { KafkajsGateway } from '../../src/kafka/kafkajs.gateway.js';

describe('Kafka sandbox (KRaft, 1 controller + 4 brokers)', () => {
  let sandbox: KafkaSandbox;

  beforeAll(async () => {
    sandbox = await KafkaSandbox.start({ brokers: 4, racks: 2 });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  async function partitionState(topic: string, partition: number) {
    const metadata = await sandbox.clusterMetadata([topic]);
    const p = metadata.topics[0]!.partitions.find((x) => x.partition === partition)!;
    return { leader: p.leader, replicas: p.replicas, isr: p.isr, offline: p.offlineReplicas };
  }

  function dirHolding(brokerId: number, topic: string, partition: number): number {
    const index = sandbox.broker(brokerId).logDirs.findIndex((dir) => existsSync(join(dir, `${topic}-${partition}`)));
    expect(index, `a log dir of broker ${brokerId} holds ${topic}-${partition}`).toBeGreaterThanOrEqual(0);
    return index;
  }

  it('brings up every broker with two JBOD log dirs, a rack and a JMX exporter endpoint', async () => {
    expect(await sandbox.liveBrokerIds()).toEqual([0, 1, 2, 3]);
    const metadata = await sandbox.clusterMetadata();
    expect(metadata.brokers.map((b) => b.rack)).toEqual(['rack-a', 'rack-b', 'rack-a', 'rack-b']);
    expect(metadata.controllerId).toBeGreaterThanOrEqual(0);
    const brokers = sandbox.brokers();
    expect(brokers.map((b) => b.rack)).toEqual(['rack-a', 'rack-b', 'rack-a', 'rack-b']);
    for (const broker of brokers) {
      expect(broker.logDirs).toHaveLength(2);
      for (const dir of broker.logDirs) expect(statSync(dir).isDirectory()).toBe(true);
      expect(broker.pid).toBeGreaterThan(0);
      const metrics = await (await fetch(broker.metricsUrl)).text();
      expect(metrics).toMatch(/^kafka_server_BrokerTopicMetrics_Count\{name="BytesInPerSec"/m);
      expect(metrics).toMatch(/^kafka_log_LogManager_Value\{name="OfflineLogDirectoryCount"} 0\.0$/m);
    }
    const description = sandbox.describe();
    expect(description.bootstrapServers.split(',')).toHaveLength(4);
    expect(description.kafkaVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('creates a topic with an explicit replica assignment, preferred leader first', async () => {
    await sandbox.createTopic('skewed', {
      assignment: [
        [0, 1],
        [0, 2],
        [0, 3],
        [1, 0],
      ],
    });
    const metadata = await (await sandbox.admin()).fetchTopicMetadata({ topics: ['skewed'] });
    const partitions = metadata.topics[0]!.partitions.sort((a, b) => a.partitionId - b.partitionId);
    expect(partitions.map((p) => p.replicas)).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 0],
    ]);
    expect(partitions.map((p) => p.leader)).toEqual([0, 0, 0, 1]);
  });

  it('produces with acks=all and consumes back exactly as many messages per partition', async () => {
    const produced = await sandbox.produce('skewed', 4_000, { valueBytes: 200 });
    expect(produced.perPartition).toEqual({ 0: 1_000, 1: 1_000, 2: 1_000, 3: 1_000 });
    const consumed = await sandbox.consumeCount('skewed');
    expect(consumed.total).toBe(4_000);
    expect(consumed.perPartition).toEqual(produced.perPartition);
  });

  it('a failed log dir is reported offline while its broker stays up, and no message is lost', async () => {
    await sandbox.createTopic('disk-victim', { assignment: [[1, 2]] });
    const produced = await sandbox.produce('disk-victim', 500);
    const dirIndex = dirHolding(1, 'disk-victim', 0);
    const pidBefore = sandbox.broker(1).pid;

    await sandbox.failLogDir(1, dirIndex);

    expect(await sandbox.offlineLogDirCount(1)).toBe(1);
    const state = await waitFor('the replica on the dead dir to be reported offline', async () => {
      const s = await partitionState('disk-victim', 0);
      return s.offline.includes(1) && s.leader === 2 ? s : undefined;
    });
    expect(state.isr).toEqual([2]);
    expect(await sandbox.liveBrokerIds()).toContain(1);
    expect(sandbox.broker(1).pid).toBe(pidBefore);
    expect((await sandbox.consumeCount('disk-victim')).total).toBe(produced.total);
  });

  it('a SIGKILLed broker disappears from metadata and its partitions show it offline', async () => {
    await sandbox.createTopic('kill-victim', {
      assignment: [
        [3, 0],
        [3, 2],
      ],
    });
    const produced = await sandbox.produce('kill-victim', 1_000);

    await sandbox.killBroker(3);

    await waitFor('broker 3 to leave the metadata', async () =>
      (await sandbox.liveBrokerIds()).includes(3) ? undefined : true,
    );
    expect(sandbox.broker(3).pid).toBeUndefined();
    for (const partition of [0, 1]) {
      const s = await waitFor(`kill-victim-${partition} to fail over`, async () => {
        const st = await partitionState('kill-victim', partition);
        return st.leader !== 3 && st.offline.includes(3) ? st : undefined;
      });
      expect(s.isr).not.toContain(3);
    }
    expect((await sandbox.consumeCount('kill-victim')).total).toBe(produced.total);

    await sandbox.restartBroker(3);
    expect(await sandbox.liveBrokerIds()).toContain(3);
    await waitFor('broker 3 to rejoin the ISR', async () =>
      (await partitionState('kill-victim', 0)).isr.includes(3) ? true : undefined,
    );
  });

  it('a SIGSTOPped broker, still registered, leaves only its own data out of a gateway snapshot', async () => {
    // A short per-broker bound: the stopped broker must still be registered when the metadata is
    // read, and the controller fences a silent broker after its 6 s session timeout.
    const kafka = {
      bootstrapServers: sandbox.bootstrapServers.split(','),
      requestTimeoutMs: 15_000,
      brokerTimeoutMs: 2_000,
    };
    const gateway = new KafkajsGateway(new BallastConfig(loadConfig({}, { kafka })));
    const stopped = 1;
    const pid = sandbox.broker(stopped).pid!;
    try {
      // Connections to every broker are open before it stops, as in a Ballast that has been running.
      expect((await gateway.snapshot()).logDirErrors).toEqual([]);
      process.kill(pid, 'SIGSTOP');
      const s = await gateway.snapshot();
      expect(s.brokers.find((b) => b.id === stopped)).toMatchObject({ alive: true });
      expect(s.logDirErrors.map((e) => e.brokerId)).toEqual([stopped]);
      expect(s.brokerConfigErrors.map((e) => e.brokerId)).toEqual([stopped]);
      expect(s.brokerThrottles[stopped]).toBeUndefined();
      expect(s.logDirs.some((d) => d.brokerId === stopped)).toBe(false);
      for (const broker of sandbox.brokers().filter((b) => b.id !== stopped)) {
        const dirs = s.logDirs.filter((d) => d.brokerId === broker.id).map((d) => d.path);
        expect(dirs.sort()).toEqual([...broker.logDirs].sort());
        expect(s.brokerThrottles[broker.id]).toBeDefined();
      }
      expect(s.partitions.some((p) => p.replicas.includes(stopped))).toBe(true);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    try {
      await waitFor(`broker ${stopped} to answer again`, async () => {
        const s = await gateway.snapshot();
        const back = s.brokers.find((b) => b.id === stopped)?.alive === true && s.logDirErrors.length === 0;
        return back && s.logDirs.some((d) => d.brokerId === stopped) ? true : undefined;
      });
    } finally {
      await gateway.onApplicationShutdown();
    }
  });

  it('stops a broker gracefully and restarts it', async () => {
    await sandbox.stopBroker(2);
    expect(sandbox.broker(2).pid).toBeUndefined();
    await waitFor('broker 2 to leave the metadata', async () =>
      (await sandbox.liveBrokerIds()).includes(2) ? undefined : true,
    );
    await sandbox.restartBroker(2);
    expect(await sandbox.liveBrokerIds()).toContain(2);
  });

  it('adds a new broker that registers with its rack and log dirs', async () => {
    const added = await sandbox.addBroker();
    expect(added.id).toBe(4);
    expect(added.rack).toBe('rack-a');
    expect(await sandbox.liveBrokerIds()).toEqual([0, 1, 2, 3, 4]);
    await sandbox.createTopic('on-new-broker', { assignment: [[4, 0]] });
    const produced = await sandbox.produce('on-new-broker', 300);
    expect((await sandbox.consumeCount('on-new-broker')).total).toBe(produced.total);
  });
});

// The sandbox the executor e2e tests run on: Kafka and Redis, an admin client, a topic preloaded
// with keyed 1000-byte messages and written to all along by an acks=all producer; a Kafka gateway
// for reading what the cluster holds.
import type { Admin } from 'kafkajs';
import { KafkaSandbox, RedisSandbox } from '../../scripts/sandbox/index.js';
import { BallastConfig, loadConfig } from '../../src/config/index.js';
import { KafkajsGateway } from '../../src/kafka/kafkajs.gateway.js';
import { startSteadyLoad, type SteadyLoad } from './steady-load.js';

/** How a topic is created: by partitions and replication factor, or by an explicit assignment. */
export type TopicSpec = NonNullable<Parameters<KafkaSandbox['createTopic']>[1]>;

export interface SandboxUnderLoadSpec {
  brokers: number;
  /** Racks the brokers are spread over. @defaultValue none */
  racks?: number;
  /** The topic the load writes to. */
  topic: string;
  create: TopicSpec;
  /** Messages written to `topic` before the load starts. */
  preload: number;
  /** Topics created and preloaded beside it, not written to by the load. */
  quietTopics?: { name: string; create: TopicSpec; preload: number }[];
  loadBytesPerSecond: number;
  /**
   * False where brokers are killed: kafkajs 2.2.4's idempotent producer can acknowledge a message
   * it never wrote after a failed send (a reused sequence number). @defaultValue true
   */
  idempotent?: boolean;
}

export interface SandboxUnderLoad {
  kafka: KafkaSandbox;
  redis: RedisSandbox;
  admin: Admin;
  load: SteadyLoad;
}

/** Starts the sandbox and its load; if any step fails, what had started is closed again. */
export async function startSandboxUnderLoad(spec: SandboxUnderLoadSpec): Promise<SandboxUnderLoad> {
  const [kafka, redis] = await Promise.all([
    KafkaSandbox.start(
      spec.racks === undefined ? { brokers: spec.brokers } : { brokers: spec.brokers, racks: spec.racks },
    ),
    RedisSandbox.start({ useEnv: false }),
  ]);
  let admin: Admin | undefined;
  try {
    admin = await kafka.admin();
    for (const t of [{ name: spec.topic, create: spec.create, preload: spec.preload }, ...(spec.quietTopics ?? [])]) {
      await kafka.createTopic(t.name, t.create);
      await kafka.produce(t.name, t.preload, { valueBytes: 1000 });
    }
    const load = await startSteadyLoad(kafka.kafka, [{ name: spec.topic, weight: 1 }], spec.loadBytesPerSecond, [], {
      idempotent: spec.idempotent ?? true,
      singleMessageSends: true,
    });
    return { kafka, redis, admin, load };
  } catch (error) {
    await stopSandboxUnderLoad({ kafka, redis, admin });
    throw error;
  }
}

/** Stops the load, disconnects the admin client and closes Kafka and Redis: whichever of them there are. */
export async function stopSandboxUnderLoad(sandbox: Partial<SandboxUnderLoad>): Promise<void> {
  await sandbox.load?.stop();
  await sandbox.admin?.disconnect();
  await Promise.all([sandbox.kafka?.close(), sandbox.redis?.close()]);
}

/** A Kafka gateway on the sandbox, as Ballast builds it: what the cluster holds, log dirs included. */
export function sandboxGateway(kafka: KafkaSandbox): KafkajsGateway {
  return new KafkajsGateway(
    new BallastConfig(loadConfig({}, { kafka: { bootstrapServers: kafka.bootstrapServers.split(',') } })),
  );
}

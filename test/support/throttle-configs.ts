// The replication throttle configs an execution sets, as the e2e tests read them back from Kafka to
// check what is on the brokers and topics while data moves, and that nothing is left afterwards.
import type { Admin } from 'kafkajs';
import { BALLAST_THROTTLE_MARKER } from '../../src/kafka/index.js';

/** A broker's two replication rates. */
export const REPLICATION_RATES = ['leader.replication.throttled.rate', 'follower.replication.throttled.rate'];
/** A broker's replication rates and Ballast's marker beside them. */
export const MARKED_REPLICATION_RATES = [...REPLICATION_RATES, BALLAST_THROTTLE_MARKER];
/** A topic's lists of throttled replicas. */
export const THROTTLED_REPLICAS = ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas'];
/** A broker's rate for moves between its log dirs. */
export const LOG_DIR_MOVE_RATE = 'replica.alter.log.dirs.io.max.bytes.per.second';

/**
 * The throttle configs set on `brokers` (`brokerConfigs` of them, the replication rates unless
 * given) and on `topics` (their throttled-replica lists), as `resource:config`: every non-default
 * config with a value, and Ballast's marker whenever it is there (Kafka hides its value).
 */
export async function throttleConfigs(
  admin: Admin,
  {
    brokers = [],
    brokerConfigs = REPLICATION_RATES,
    topics = [],
  }: { brokers?: number[]; brokerConfigs?: string[]; topics?: string[] },
): Promise<string[]> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [
      ...brokers.map((id) => ({ type: 4, name: String(id), configNames: brokerConfigs })),
      ...topics.map((name) => ({ type: 2, name, configNames: THROTTLED_REPLICAS })),
    ],
  });
  return described.resources.flatMap((r) =>
    r.configEntries
      .filter(
        (e) =>
          !e.isDefault &&
          (e.configName === BALLAST_THROTTLE_MARKER || (e.configValue !== null && e.configValue !== '')),
      )
      .map((e) => `${r.resourceName}:${e.configName}`),
  );
}

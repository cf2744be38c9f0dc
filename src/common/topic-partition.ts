// How Kafka names a partition. Pure, so the model and the executor's planner may import this file.

/**
 * `<topic>-<partition>`, Kafka's name for a partition (as in log dirs, tools and Cruise Control's
 * reports). Also the key Ballast uses for maps of partitions read from Kafka.
 */
export function topicPartitionName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

// What topic-scoped goals ask of the model: partitions grouped by topic, topics a name pattern
// selects, a partition's Kafka name. All static under moves, so computed once per model.
import type { ClusterModel } from '../../src/model/index.js';

/** Partition indices grouped by topic (a CSR layout): topic t's are `list[start[t]..start[t+1])`. */
export interface PartitionsByTopic {
  start: Int32Array;
  list: Int32Array;
}

const groupings = new WeakMap<ClusterModel, PartitionsByTopic>();

/** The grouping of a model's partitions by topic; moves never change it, so it is cached per model. */
export function partitionsByTopic(model: ClusterModel): PartitionsByTopic {
  let grouping = groupings.get(model);
  if (grouping === undefined) {
    const start = new Int32Array(model.topicCount + 1);
    for (let p = 0; p < model.partitionCount; p++) start[model.partitionTopic[p]! + 1]!++;
    for (let t = 0; t < model.topicCount; t++) start[t + 1]! += start[t]!;
    const fill = start.slice(0, model.topicCount);
    const list = new Int32Array(model.partitionCount);
    for (let p = 0; p < model.partitionCount; p++) list[fill[model.partitionTopic[p]!]!++] = p;
    grouping = { start, list };
    groupings.set(model, grouping);
  }
  return grouping;
}

/** The partitions of `topic`, as a view into the cached grouping (no copy). */
export function partitionsOf(model: ClusterModel, topic: number): Int32Array {
  const { start, list } = partitionsByTopic(model);
  return list.subarray(start[topic], start[topic + 1]);
}

const matches = new WeakMap<ClusterModel, WeakMap<RegExp, Uint8Array>>();

/** 1 for every topic whose name `pattern` matches, cached per model and pattern object. */
export function topicsMatching(model: ClusterModel, pattern: RegExp): Uint8Array {
  let byPattern = matches.get(model);
  if (byPattern === undefined) {
    byPattern = new WeakMap();
    matches.set(model, byPattern);
  }
  let matched = byPattern.get(pattern);
  if (matched === undefined) {
    // A global or sticky pattern keeps state between `test` calls; match with a stateless copy.
    const re =
      pattern.global || pattern.sticky ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')) : pattern;
    matched = new Uint8Array(model.topicCount);
    model.tables.topicNames.forEach((name, t) => {
      if (re.test(name)) matched![t] = 1;
    });
    byPattern.set(pattern, matched);
  }
  return matched;
}

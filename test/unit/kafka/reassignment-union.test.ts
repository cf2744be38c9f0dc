// A snapshot reads reassignments before and after its metadata; a partition either read shows
// moving counts as moving, so the metadata's old-plus-new replica list is always explained.
import { describe, expect, it } from 'vitest';
import { unionOfReassignments } from '../../../src/kafka/snapshot-reader.js';

const moving = (topic: string, partition: number, replicas: number[], adding: number[]) => ({
  topic,
  partition,
  replicas,
  addingReplicas: adding,
  removingReplicas: replicas.filter((r) => !adding.includes(r)),
});

describe('unionOfReassignments', () => {
  it('keeps a reassignment that ended between the reads and one that started between them', () => {
    const ended = moving('hot', 3, [2, 3, 0, 1], [2, 3]);
    const started = moving('hot', 5, [3, 2, 1, 0], [3, 2]);
    expect(unionOfReassignments([ended], [started])).toEqual([ended, started]);
  });

  it('takes the later read where both show a partition, and sorts by topic then partition', () => {
    const before = moving('b', 0, [1, 2, 3], [3]);
    const after = { ...before, replicas: [1, 2, 3, 4], addingReplicas: [3, 4] };
    const other = moving('a', 7, [0, 1], [1]);
    expect(unionOfReassignments([before], [after, other])).toEqual([other, after]);
  });

  it('is empty when neither read shows a move', () => {
    expect(unionOfReassignments([], [])).toEqual([]);
  });
});

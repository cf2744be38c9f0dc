// Ballast's encoders and decoders for the admin requests kafkajs lacks, checked byte by byte
// against the layouts of Kafka's message specs (flexible versions: compact arrays and strings,
// tagged-field sections, request header v2 / response header v1).
import { describe, expect, it } from 'vitest';
import {
  alterPartitionReassignmentsRequest,
  alterReplicaLogDirsRequest,
  describeLogDirsRequest,
  electLeadersRequest,
  errorName,
  incrementalAlterConfigsRequest,
} from '../../../src/kafka/protocol/index.js';

/** Builds expected bytes the way the spec describes them, independently of the encoder under test. */
class Bytes {
  private readonly parts: number[] = [];
  i8(v: number) {
    this.parts.push(v & 0xff);
    return this;
  }
  i16(v: number) {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    this.parts.push(...b);
    return this;
  }
  i32(v: number) {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.parts.push(...b);
    return this;
  }
  i64(v: number) {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(v));
    this.parts.push(...b);
    return this;
  }
  uvarint(v: number) {
    let n = v;
    while (n >= 0x80) {
      this.parts.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    this.parts.push(n);
    return this;
  }
  str(s: string | null) {
    if (s === null) return this.uvarint(0);
    const b = Buffer.from(s, 'utf8');
    this.uvarint(b.length + 1);
    this.parts.push(...b);
    return this;
  }
  /** Compact array length (n + 1), or null. */
  arr(n: number | null) {
    return this.uvarint(n === null ? 0 : n + 1);
  }
  tags() {
    return this.uvarint(0);
  }
  bool(v: boolean) {
    return this.i8(v ? 1 : 0);
  }
  get buffer() {
    return Buffer.from(this.parts);
  }
}

async function encoded(request: {
  request: { encode: () => Promise<{ buffer: Buffer; size(): number }> };
}): Promise<Buffer> {
  const encoder = await request.request.encode();
  return Buffer.from(encoder.buffer.subarray(0, encoder.size()));
}

describe('flexible admin requests', () => {
  it('DescribeLogDirs v4 asks for all topics with a null array, and decodes sizes, futures and volume bytes', async () => {
    const request = describeLogDirsRequest(null);
    expect(request.request).toMatchObject({ apiKey: 35, apiVersion: 4 });
    expect(await encoded(request)).toEqual(new Bytes().tags().arr(null).tags().buffer);

    const response = new Bytes()
      .tags() // response header v1
      .i32(0) // throttle
      .i16(0) // error
      .arr(2)
      .i16(0)
      .str('/data/0')
      .arr(1)
      .str('orders')
      .arr(2)
      .i32(0)
      .i64(5_000_000_000)
      .i64(0)
      .bool(false)
      .tags()
      .i32(3)
      .i64(42)
      .i64(7)
      .bool(true)
      .tags()
      .tags()
      .i64(1_000_000)
      .i64(250_000)
      .tags()
      .i16(56)
      .str('/data/1')
      .arr(0)
      .i64(-1)
      .i64(-1)
      .tags()
      .tags().buffer;
    expect(await request.response.decode(response)).toEqual({
      errorCode: 0,
      logDirs: [
        {
          errorCode: 0,
          path: '/data/0',
          topics: [
            {
              name: 'orders',
              partitions: [
                { partition: 0, sizeBytes: 5_000_000_000, offsetLag: 0, isFuture: false },
                { partition: 3, sizeBytes: 42, offsetLag: 7, isFuture: true },
              ],
            },
          ],
          totalBytes: 1_000_000,
          usableBytes: 250_000,
        },
        { errorCode: 56, path: '/data/1', topics: [], totalBytes: -1, usableBytes: -1 },
      ],
    });
    expect(errorName(56)).toBe('KAFKA_STORAGE_ERROR');
  });

  it('AlterPartitionReassignments v0 encodes a target list and a null list (cancel)', async () => {
    const request = alterPartitionReassignmentsRequest(
      [
        { topic: 't', partition: 1, replicas: [3, 1] },
        { topic: 't', partition: 2, replicas: null },
      ],
      30_000,
    );
    expect(request.request).toMatchObject({ apiKey: 45, apiVersion: 0 });
    const expected = new Bytes().tags().i32(30_000).arr(1).str('t').arr(2);
    expected.i32(1).arr(2).i32(3).i32(1).tags();
    expected.i32(2).arr(null).tags();
    expected.tags().tags();
    expect(await encoded(request)).toEqual(expected.buffer);

    const response = new Bytes().tags().i32(0).i16(0).str(null).arr(1).str('t').arr(2);
    response.i32(1).i16(0).str(null).tags();
    response.i32(2).i16(85).str('No reassignment in progress').tags();
    response.tags().tags();
    expect(await request.response.decode(response.buffer)).toEqual({
      errorCode: 0,
      errorMessage: null,
      results: [
        { topic: 't', partition: 1, errorCode: 0, errorMessage: null },
        { topic: 't', partition: 2, errorCode: 85, errorMessage: 'No reassignment in progress' },
      ],
    });
    expect(errorName(85)).toBe('NO_REASSIGNMENT_IN_PROGRESS');
  });

  it('ElectLeaders v2 encodes a PREFERRED election and decodes per-partition results', async () => {
    const request = electLeadersRequest([{ topic: 'a', partitions: [0, 4] }], 60_000);
    expect(request.request).toMatchObject({ apiKey: 43, apiVersion: 2 });
    expect(await encoded(request)).toEqual(
      new Bytes().tags().i8(0).arr(1).str('a').arr(2).i32(0).i32(4).tags().i32(60_000).tags().buffer,
    );
    const response = new Bytes().tags().i32(0).i16(0).arr(1).str('a').arr(2);
    response.i32(0).i16(0).str(null).tags();
    response.i32(4).i16(84).str('already preferred').tags();
    response.tags().tags();
    expect(await request.response.decode(response.buffer)).toEqual({
      errorCode: 0,
      results: [
        { topic: 'a', partition: 0, errorCode: 0, errorMessage: null },
        { topic: 'a', partition: 4, errorCode: 84, errorMessage: 'already preferred' },
      ],
    });
    expect(errorName(84)).toBe('ELECTION_NOT_NEEDED');
  });

  it('AlterReplicaLogDirs v2 groups partitions by destination dir and decodes per-partition errors', async () => {
    const request = alterReplicaLogDirsRequest([{ path: '/d1', topics: [{ name: 'x', partitions: [0, 2] }] }]);
    expect(request.request).toMatchObject({ apiKey: 34, apiVersion: 2 });
    expect(await encoded(request)).toEqual(
      new Bytes().tags().arr(1).str('/d1').arr(1).str('x').arr(2).i32(0).i32(2).tags().tags().tags().buffer,
    );
    const response = new Bytes().tags().i32(0).arr(1).str('x').arr(2);
    response.i32(0).i16(0).tags();
    response.i32(2).i16(57).tags();
    response.tags().tags();
    expect(await request.response.decode(response.buffer)).toEqual([
      { topic: 'x', partition: 0, errorCode: 0 },
      { topic: 'x', partition: 2, errorCode: 57 },
    ]);
    expect(errorName(57)).toBe('LOG_DIR_NOT_FOUND');
  });

  it('IncrementalAlterConfigs v1 encodes SET with a value and DELETE with a null value', async () => {
    const request = incrementalAlterConfigsRequest([
      {
        resourceType: 4,
        resourceName: '2',
        configs: [
          { name: 'leader.replication.throttled.rate', operation: 0, value: '1000' },
          { name: 'follower.replication.throttled.rate', operation: 1, value: null },
        ],
      },
    ]);
    expect(request.request).toMatchObject({ apiKey: 44, apiVersion: 1 });
    const expected = new Bytes().tags().arr(1).i8(4).str('2').arr(2);
    expected.str('leader.replication.throttled.rate').i8(0).str('1000').tags();
    expected.str('follower.replication.throttled.rate').i8(1).str(null).tags();
    expected.tags().bool(false).tags();
    expect(await encoded(request)).toEqual(expected.buffer);

    const response = new Bytes().tags().i32(0).arr(1).i16(0).str(null).i8(4).str('2').tags().tags();
    expect(await request.response.decode(response.buffer)).toEqual([
      { resourceType: 4, resourceName: '2', errorCode: 0, errorMessage: null },
    ]);
  });
});

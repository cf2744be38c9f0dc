// Sandbox config helpers: cluster ids the storage tool accepts, properties rendering.
import { describe, expect, it } from 'vitest';
import { brokerDefaults, newClusterId, properties } from '../../../scripts/sandbox/kafka-config.js';

describe('sandbox kafka config', () => {
  it('makes 22-character base64url cluster ids of 16 bytes that never start with a dash', () => {
    for (let i = 0; i < 5_000; i += 1) {
      const id = newClusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
  });

  it('caps internal topic replication at the broker count', () => {
    expect(brokerDefaults(1)['offsets.topic.replication.factor']).toBe('1');
    expect(brokerDefaults(4)['offsets.topic.replication.factor']).toBe('3');
  });

  it('renders properties one per line', () => {
    expect(properties({ 'a.b': '1', c: 'x' })).toBe('a.b=1\nc=x\n');
  });
});

// How Ballast's Kafka settings become kafkajs options: TLS files read, SASL passed through.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { kafkajsOptions } from '../../../src/kafka/kafka-client.js';

const dir = mkdtempSync(join(tmpdir(), 'ballast-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kafkajsOptions', () => {
  it('passes plain settings and no security by default', () => {
    const config = loadConfig({
      BALLAST_KAFKA_BOOTSTRAP_SERVERS: 'k1:9092,k2:9093',
      BALLAST_KAFKA_REQUEST_TIMEOUT_MS: '1234',
    });
    const options = kafkajsOptions(config.kafka, () => () => undefined);
    expect(options).toMatchObject({ brokers: ['k1:9092', 'k2:9093'], clientId: 'ballast', requestTimeout: 1234 });
    expect(options.ssl).toBeUndefined();
    expect(options.sasl).toBeUndefined();
  });

  it('reads the TLS files and passes SASL credentials through', () => {
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n');
    const config = loadConfig({
      BALLAST_KAFKA_BOOTSTRAP_SERVERS: 'k1:9093',
      BALLAST_KAFKA_TLS_ENABLED: 'true',
      BALLAST_KAFKA_TLS_CA_FILE: ca,
      BALLAST_KAFKA_SASL_MECHANISM: 'scram-sha-256',
      BALLAST_KAFKA_SASL_USERNAME: 'u',
      BALLAST_KAFKA_SASL_PASSWORD: 'p',
    });
    const options = kafkajsOptions(config.kafka, () => () => undefined);
    expect(options.ssl).toEqual({ rejectUnauthorized: true, ca: [expect.stringContaining('fake')] });
    expect(options.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'u', password: 'p' });
  });
});

// Start-up stops with a ConfigError, before anything connects, when a file the security section
// names is unusable: a credentials file with a bad line, a JWT key file holding a private key.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp } from '../../../src/app.js';
import { JsonLogger } from '../../../src/common/index.js';
import { ConfigError, loadConfig, type BallastConfigInput } from '../../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ballast-security-boot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Nothing listens on port 1: had start-up gone further than the security checks, it would fail differently.
const start = (security: BallastConfigInput['security']) =>
  startApp(
    loadConfig(
      {},
      {
        server: { host: '127.0.0.1', port: 0 },
        kafka: { bootstrapServers: ['127.0.0.1:1'] },
        redis: { url: 'redis://127.0.0.1:1' },
        security,
      },
    ),
    new JsonLogger('silent'),
  );

describe('start-up with security files', () => {
  it('stops on a credentials file with a plain password, naming the file and line only', async () => {
    const credentialsFile = join(dir, 'users');
    writeFileSync(credentialsFile, '# users\nalice: plain-password-here,ADMIN\n');
    const error = await start({ enabled: true, basic: { credentialsFile } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`security.basic.credentialsFile (${credentialsFile}): line 2:`);
    expect((error as ConfigError).message).not.toContain('plain-password-here');
  });

  it('stops on a JWT key file that holds a private key', async () => {
    const publicKeyFile = join(dir, 'key.pem');
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(publicKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await expect(start({ enabled: true, jwt: { publicKeyFile } })).rejects.toThrow(
      /security\.jwt\.publicKeyFile .*holds a private key/,
    );
  });
});

// The HTTP Basic credentials file: `user: <bcrypt hash>,ROLE` lines, validated strictly, with
// problems that name the file and the line and never quote a password or a hash.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { loadCredentialsFile, parseCredentialsFile } from '../../../src/api/security/credentials-file.js';
import { ConfigError } from '../../../src/config/index.js';

// Cost 4 keeps the suite fast; the format does not depend on the cost.
const ALICE_HASH = bcrypt.hashSync('alice-password', 4);
const BOB_HASH = bcrypt.hashSync('bob-password', 4).replace(/^\$2b\$/, '$2y$'); // htpasswd's prefix
const FILE = '/etc/ballast/users';

function problemsOf(text: string): string[] {
  try {
    parseCredentialsFile(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    for (const p of problems) {
      expect(p.key).toBe('security.basic.credentialsFile');
      expect(p.source).toBe(FILE);
    }
    return problems.map((p) => p.message);
  }
  throw new Error('expected a ConfigError');
}

describe('parseCredentialsFile', () => {
  it('reads users, roles (any case, deduplicated), comments, blank lines and CRLF endings', () => {
    const file = parseCredentialsFile(
      `# Ballast users\r\n\r\nalice: ${ALICE_HASH},ADMIN,user\r\n  bob:${BOB_HASH} , viewer , VIEWER\n`,
      FILE,
    );
    expect([...file.users.keys()]).toEqual(['alice', 'bob']);
    expect(file.users.get('alice')).toEqual({ hash: ALICE_HASH, roles: ['ADMIN', 'USER'] });
    expect(file.users.get('bob')).toEqual({ hash: BOB_HASH, roles: ['VIEWER'] });
  });

  it('accepts htpasswd -B output with a role appended, and the hash verifies', async () => {
    const file = parseCredentialsFile(`bob:${BOB_HASH},USER`, FILE);
    expect(await bcrypt.compare('bob-password', file.users.get('bob')!.hash)).toBe(true);
  });

  it('flags users whose bcrypt cost is below 10 as weak', () => {
    const strong = bcrypt.hashSync('x', 10);
    const file = parseCredentialsFile(`alice: ${ALICE_HASH},ADMIN\ncarol: ${strong},USER`, FILE);
    expect(file.weakHashUsers).toEqual(['alice']);
  });

  it('names the line of every bad entry, all at once', () => {
    const problems = problemsOf(
      [
        `alice: ${ALICE_HASH},ADMIN`, // 1 fine
        'no colon here', // 2
        `: ${ALICE_HASH},ADMIN`, // 3 empty user
        'bob: hunter2hunter2,ADMIN', // 4 plain password
        `carol: ${ALICE_HASH}`, // 5 no role
        `dave: ${ALICE_HASH},ROOT`, // 6 unknown role
        `alice: ${BOB_HASH},USER`, // 7 duplicate
        'erin: OBF:1v2j1uum1xtv1zej1zer1xtn1uvk1v1v,USER', // 8 Jetty's obfuscation
        `frank: ${ALICE_HASH.replace('$04$', '$03$')},USER`, // 9 cost out of range
      ].join('\n'),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^line 2: .*no ':'/),
      expect.stringMatching(/^line 3: the user name is empty/),
      expect.stringMatching(/^line 4: the password of user 'bob' is not a bcrypt hash/),
      expect.stringMatching(/^line 5: user 'carol' has no role/),
      expect.stringMatching(/^line 6: role 1 of user 'dave' is not VIEWER, USER or ADMIN/),
      expect.stringMatching(/^line 7: user 'alice' is already defined on line 1/),
      expect.stringMatching(/^line 8: the password of user 'erin' is not a bcrypt hash.*OBF/),
      expect.stringMatching(/^line 9: the bcrypt cost of user 'frank'/),
    ]);
  });

  it('never quotes a password, a hash or a role value in its problems', () => {
    const error = (() => {
      try {
        parseCredentialsFile(`bob: hunter2hunter2,ADMIN\ncarol: ${ALICE_HASH},s3cretRole\ndave: ${ALICE_HASH}`, FILE);
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.message).toContain(FILE);
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('s3cretRole');
    expect(error.message).not.toContain(ALICE_HASH);
    expect(error.message).not.toMatch(/\$2[aby]\$\d\d\$/);
  });

  it('refuses a file without users', () => {
    expect(problemsOf('# nobody yet\n\n')).toEqual(['the file defines no user']);
  });
});

describe('loadCredentialsFile', () => {
  it('reads the file from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-creds-'));
    const path = join(dir, 'users');
    writeFileSync(path, `alice: ${ALICE_HASH},VIEWER\n`);
    try {
      expect(loadCredentialsFile(path).users.get('alice')?.roles).toEqual(['VIEWER']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the file and the error code, not the contents, when it cannot be read', () => {
    expect(() => loadCredentialsFile('/nonexistent/ballast-users')).toThrow(
      /security\.basic\.credentialsFile \(\/nonexistent\/ballast-users\): cannot read the file \(ENOENT\)/,
    );
  });
});

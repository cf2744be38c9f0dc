// The one place capacity files are read from disk; the format follows the file extension.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CapacityFileError } from './capacity.errors.js';
import { parseCapacityJson, parseCapacityYaml } from './capacity.parser.js';
import type { CapacitySet } from './capacity.types.js';

/**
 * Reads and parses a capacity file: `.json` as Cruise Control's format, `.yaml`/`.yml` as Ballast's.
 * Throws {@link CapacityFileError} for an unknown extension, an unreadable file or invalid content.
 */
export function loadCapacityFile(path: string): CapacitySet {
  const ext = extname(path).toLowerCase();
  // Checked before reading so a typo in the path is not blamed on the file's content.
  const parse = ext === '.json' ? parseCapacityJson : ext === '.yaml' || ext === '.yml' ? parseCapacityYaml : null;
  if (!parse) {
    throw new CapacityFileError(path, [
      {
        path: '(root)',
        message: `unknown capacity file extension "${ext}"; expected .json (Cruise Control) or .yaml/.yml (Ballast)`,
      },
    ]);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CapacityFileError(path, [{ path: '(root)', message: `cannot read the file (${reason})` }], {
      cause: error,
    });
  }
  return parse(text, path);
}

// docs/configuration.md documents every configuration key and its variable, so the table cannot drift.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configKeys } from '../../../src/config/index.js';

describe('docs/configuration.md', () => {
  const doc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');

  it.each(configKeys().map((k) => [k.path.join('.'), k.env]))('documents %s as %s', (key, env) => {
    // Prettier pads table cells, so match cells, not exact spacing.
    const row = new RegExp(`\\|\\s*\`${key.replace(/\./g, '\\.')}\`\\s*\\|\\s*\`${env}\``);
    expect(doc).toMatch(row);
  });
});

// The architecture's rules (.dependency-cruiser.cjs) checked on themselves: every fixture under
// test/fixtures/boundaries/ (laid out like the real tree) breaks one rule and must be caught by that
// rule alone, what the allow-list admits gets through, and the real src/ and goals/ break none.
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/boundaries/', import.meta.url));

/** Runs the project's rules over `src/` and `goals/` under `baseDir`, as `npm run lint:deps` does. */
async function cruiseTree(baseDir: string): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(`${ROOT}.dependency-cruiser.cjs`);
  const { output } = await cruise(
    ['src', 'goals'],
    { ...options, baseDir },
    {},
    {
      tsConfig: extractTSConfig(`${ROOT}tsconfig.json`),
    },
  );
  if (typeof output === 'string') throw new Error('dependency-cruiser returned a report, not a result');
  return output;
}

/** `rule: from -> to`; a cycle's two files in name order, whichever one the report starts from. */
function label(v: IViolation): string {
  const [from, to] = v.rule.name === 'no-cycles' ? [v.from, v.to].sort() : [v.from, v.to];
  return `${v.rule.name}: ${from} -> ${to}`;
}

/** Each fixture and the rule that must catch it (node: builtins are reported without the prefix). */
const CAUGHT = [
  'pure-core-allow-list: goals/kafka-gateway.goal.ts -> src/kafka/index.ts',
  'pure-core-allow-list: goals/nest-service.goal.ts -> src/analyzer/index.ts',
  'pure-core-allow-list: goals/crypto.goal.ts -> crypto',
  'pure-core-allow-list: src/analyzer/optimizer.ts -> worker_threads',
  'pure-core-allow-list: src/model/model-logging.ts -> src/common/index.ts',
  'pure-core-type-only: src/detector/config-value.detector.ts -> src/config/index.ts',
  'index-only-across-stages: src/monitor/load-derivation.ts -> src/kafka/cluster-snapshot.ts',
  'no-cycles: src/monitor/aggregation/completeness.ts -> src/monitor/aggregation/window-aggregator.ts',
];

describe('architecture rules', { timeout: 120_000 }, () => {
  let fixtureViolations: string[] = [];

  beforeAll(async () => {
    fixtureViolations = (await cruiseTree(FIXTURES)).summary.violations.map(label);
  }, 120_000);

  it.each(CAUGHT)('catch %s', (expected) => {
    expect(fixtureViolations).toContain(expected);
  });

  it('catch nothing else: each fixture breaks one rule, and what the allow-list admits passes', () => {
    // src/detector/allowed.detector.ts imports javascript-lp-solver, zod, src/common/pure.ts,
    // src/kafka/pure.ts, src/model and types from src/config: none of it may be reported.
    expect([...fixtureViolations].sort()).toEqual([...CAUGHT].sort());
  });

  it('find no violation in the real src/ and goals/', async () => {
    const { summary } = await cruiseTree(ROOT);
    // Entries of .dependency-cruiser-known-violations.json come back with severity 'ignore'.
    const reported = summary.violations.filter((v) => v.rule.severity !== 'ignore');
    expect(reported.map(label)).toEqual([]);
  });
});

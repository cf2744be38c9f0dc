// `npm run optimize`: a model file in, the proposal JSON out; bad input exits 2, an unmeetable hard goal 3.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OptimizationResult } from '../../../src/analyzer/index.js';
import { generateSyntheticModel, ModelBuilder, modelToJson } from '../../../src/model/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ballast-optimize-'));
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/optimize-cli.ts', ...args], {
    encoding: 'utf8',
  });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each case starts tsx processes (about 1 s each on an idle 2-core machine): give them room under load.
describe('optimize CLI', { timeout: 30_000 }, () => {
  it('writes the proposal and prints a summary', () => {
    const file = join(dir, 'hot.json');
    writeFileSync(
      file,
      JSON.stringify(
        modelToJson(
          generateSyntheticModel({
            seed: 3,
            brokers: 6,
            racks: 3,
            partitions: 120,
            skew: 'hot-broker',
            cpuCapacity: 1000,
          }),
        ),
      ),
    );
    const out = join(dir, 'proposal.json');
    const run = cli('--model', file, '--out', out);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as OptimizationResult;
    expect(result.proposals.length).toBeGreaterThan(0);
    expect(result.goals.map((g) => g.name)[0]).toBe('RackAwareGoal');
    expect(run.stdout).toContain(`${result.replicaMoves} replica moves`);
    expect(result.balancednessAfter).toBeGreaterThan(result.balancednessBefore);
  });

  it('exits 2 naming an unknown goal or a malformed model, and 3 when a hard goal cannot be met', () => {
    const unknown = cli('--model', join(dir, 'hot.json'), '--goals', 'RackAwareGoal,NoSuchGoal');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown goal(s) NoSuchGoal');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format":"something-else"}');
    expect(cli('--model', bad).status).toBe(2);
    // Three replicas, two racks: RackAwareGoal cannot hold.
    const builder = new ModelBuilder();
    ['a', 'a', 'b'].forEach((rack, b) => builder.addBroker({ kafkaId: b, rack, capacity: [100, 100, 100, 100] }));
    builder.addPartition({
      topic: 't',
      partition: 0,
      replicas: [{ broker: 0 }, { broker: 1 }, { broker: 2 }],
      leaderIndex: 0,
      leaderLoad: [1, 1, 1, 1],
      followerLoad: [1, 1, 0, 1],
    });
    const infeasible = join(dir, 'infeasible.json');
    writeFileSync(infeasible, JSON.stringify(modelToJson(builder.build())));
    const hard = cli('--model', infeasible, '--goals', 'RackAwareGoal');
    expect(hard.status).toBe(3);
    expect(hard.stderr).toContain('RackAwareGoal cannot be met');
  });
});

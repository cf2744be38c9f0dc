// The goal registry: the configured chain with hard/soft overrides, the user's goal files, the
// thresholds and broker sets from the configuration, and start-up errors that name the key.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_GOALS, GOALS_BY_NAME } from '../../../goals/index.js';
import { GoalRegistry } from '../../../src/analyzer/index.js';
import { ConfigError, loadConfig } from '../../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ballast-goals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const analyzerConfig = (analyzer: Record<string, unknown>) =>
  loadConfig({}, { kafka: { bootstrapServers: ['k:9092'] }, analyzer }).analyzer;

async function problemsOf(analyzer: Record<string, unknown>): Promise<string[]> {
  try {
    await GoalRegistry.load(analyzerConfig(analyzer));
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.key}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('GoalRegistry', () => {
  it('runs the default chain with default thresholds when nothing is configured', async () => {
    const registry = await GoalRegistry.load(analyzerConfig({}));
    expect(registry.defaultGoals.map((g) => g.name)).toEqual(DEFAULT_GOALS.map((g) => g.name));
    expect(registry.thresholds.capacityThreshold.cpu).toBe(0.7);
    expect(registry.thresholds.minTopicLeadersPerBroker.topicPattern).toBeNull();
  });

  it('takes the configured order and a per-goal hard/soft override without changing the shared goal', async () => {
    const registry = await GoalRegistry.load(
      analyzerConfig({ goals: ['DiskCapacityGoal:soft', 'RackAwareGoal', 'ReplicaDistributionGoal:hard'] }),
    );
    expect(registry.defaultGoals.map((g) => [g.name, g.hard])).toEqual([
      ['DiskCapacityGoal', false],
      ['RackAwareGoal', true],
      ['ReplicaDistributionGoal', true],
    ]);
    expect(GOALS_BY_NAME.get('DiskCapacityGoal')!.hard).toBe(true);
  });

  it('rejects unknown and repeated goal names, naming analyzer.goals', async () => {
    expect(await problemsOf({ goals: ['RackAwareGoal', 'DiskCapacityGoalz', 'RackAwareGoal'] })).toEqual([
      expect.stringMatching(/^analyzer\.goals: unknown goal DiskCapacityGoalz; known: RackAwareGoal, /),
      'analyzer.goals: goal RackAwareGoal is listed twice',
    ]);
  });

  it("loads the user's goal files and lets the chain name their goals", async () => {
    const registry = await GoalRegistry.load(
      analyzerConfig({
        goalFilesDirectory: new URL('../../fixtures/goals', import.meta.url).pathname,
        goals: ['RackAwareGoal', 'QuotaAwareGoal'],
      }),
    );
    expect(registry.byName.has('QuotaAwareGoal')).toBe(true);
    expect(registry.defaultGoals.map((g) => g.name)).toEqual(['RackAwareGoal', 'QuotaAwareGoal']);
  });

  it('refuses a goal file that exports no goal, fails to load, or redefines a goal', async () => {
    const bad = mkdtempSync(join(dir, 'bad-'));
    writeFileSync(join(bad, 'empty.goal.mjs'), 'export const x = 1;\n');
    writeFileSync(join(bad, 'broken.goal.mjs'), 'export const = ;\n');
    writeFileSync(
      join(bad, 'twice.goal.mjs'),
      "export const g = { name: 'RackAwareGoal', hard: true, optimize() {}, accepts() { return true; }, status() {} };\n",
    );
    const problems = await problemsOf({ goalFilesDirectory: bad });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^analyzer\.goalFilesDirectory: cannot be loaded/);
    expect(problems[1]).toBe(
      'analyzer.goalFilesDirectory: exports no goal (an object with name, hard, optimize, accepts, status)',
    );
    expect(problems[2]).toBe(
      'analyzer.goalFilesDirectory: goal RackAwareGoal is already defined (built in or another file)',
    );
  });

  it("reads Cruise Control's brokerSets.json and the goals' thresholds", async () => {
    const file = join(dir, 'brokerSets.json');
    writeFileSync(
      file,
      JSON.stringify({
        brokerSets: [
          { brokerSetId: 'Blue', brokerIds: [0, 1, 2], doc: 'first' },
          { brokerSetId: 'Green', brokerIds: [3, 4, 5] },
        ],
      }),
    );
    const registry = await GoalRegistry.load(
      analyzerConfig({
        brokerSetsFile: file,
        capacityThreshold: { cpu: 0.5 },
        minTopicLeadersPerBroker: { topicPattern: 'orders|payments', minLeaders: 2 },
      }),
    );
    expect(registry.thresholds.brokerSets).toEqual([
      { id: 'Blue', brokerIds: [0, 1, 2] },
      { id: 'Green', brokerIds: [3, 4, 5] },
    ]);
    expect(registry.thresholds.capacityThreshold).toEqual({
      cpu: 0.5,
      networkInbound: 0.8,
      networkOutbound: 0.8,
      disk: 0.8,
    });
    const pattern = registry.thresholds.minTopicLeadersPerBroker.topicPattern!;
    expect([pattern.test('orders'), pattern.test('orders-eu')]).toEqual([true, false]);
    expect(registry.thresholds.minTopicLeadersPerBroker.minLeaders).toBe(2);
  });

  it('names the field of a malformed brokerSets.json and a broker in two sets', async () => {
    const file = join(dir, 'badSets.json');
    writeFileSync(
      file,
      JSON.stringify({
        brokerSets: [
          { brokerSetId: 'Blue', brokerIds: [0, 1] },
          { brokerSetId: 'Green', brokerIds: [1, 'x'] },
          { brokerSetId: 'Red', brokerIds: [1, 2] },
        ],
      }),
    );
    expect(await problemsOf({ brokerSetsFile: file })).toEqual([
      'analyzer.brokerSetsFile: brokerSets[1].brokerIds: expected an array of broker ids',
      'analyzer.brokerSetsFile: brokerSets[2].brokerIds: broker 1 is also in Blue',
    ]);
  });

  it('rejects out-of-range thresholds and a bad topic pattern in the schema, naming the key', () => {
    const attempt = (analyzer: Record<string, unknown>) => {
      try {
        analyzerConfig(analyzer);
        return [];
      } catch (error) {
        return (error as ConfigError).problems.map((p) => p.key);
      }
    };
    expect(attempt({ capacityThreshold: { disk: 1.5 } })).toEqual(['analyzer.capacityThreshold.disk']);
    expect(attempt({ minTopicLeadersPerBroker: { topicPattern: '(' } })).toEqual([
      'analyzer.minTopicLeadersPerBroker.topicPattern',
    ]);
    expect(attempt({ goals: ['Rack Aware'] })).toEqual(['analyzer.goals.0']);
  });
});

// The goals this Ballast runs: the built-in ones, the user's own goal files, the configured order
// with per-goal hard/soft overrides, and the thresholds, all checked once at start-up so a typo in a
// goal name or a broken goal file stops the service (exit 78) instead of failing every proposal.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DEFAULT_GOALS,
  DEFAULT_THRESHOLDS,
  GOALS_BY_NAME,
  INTRA_BROKER_GOALS,
  type Goal,
  type GoalThresholds,
} from '../../goals/index.js';
import { ConfigError, type BallastConfigValues, type ConfigProblem } from '../config/index.js';

type AnalyzerConfig = BallastConfigValues['analyzer'];

/** Files in `analyzer.goalFilesDirectory` that are loaded as goals. */
const GOAL_FILE = /\.goal\.m?js$/;

/** True when `value` has the shape of a {@link Goal} (a user file may export anything). */
export function isGoal(value: unknown): value is Goal {
  const g = value as Partial<Goal> | null;
  return (
    typeof g === 'object' &&
    g !== null &&
    typeof g.name === 'string' &&
    /^[A-Za-z][A-Za-z0-9_]*$/.test(g.name) &&
    typeof g.hard === 'boolean' &&
    typeof g.optimize === 'function' &&
    typeof g.accepts === 'function' &&
    typeof g.status === 'function'
  );
}

export class GoalRegistry {
  private constructor(
    /** Every goal a request may name, built-in and the user's. */
    readonly byName: ReadonlyMap<string, Goal>,
    /** The configured chain (or Ballast's default), hard/soft overrides applied. */
    readonly defaultGoals: readonly Goal[],
    /** Goals for `rebalance_disk=true` when a request names none. */
    readonly intraBrokerGoals: readonly Goal[],
    readonly thresholds: GoalThresholds,
  ) {}

  /** The built-in goals with default thresholds (tests, the CLI). */
  static builtIn(): GoalRegistry {
    return new GoalRegistry(GOALS_BY_NAME, DEFAULT_GOALS, INTRA_BROKER_GOALS, DEFAULT_THRESHOLDS);
  }

  /**
   * Loads the user's goal files, resolves the configured chain and builds the thresholds.
   * @throws ConfigError naming `analyzer.*` keys, files and goals when anything is unusable.
   */
  static async load(config: AnalyzerConfig): Promise<GoalRegistry> {
    const problems: ConfigProblem[] = [];
    const byName = new Map<string, Goal>(GOALS_BY_NAME);
    if (config.goalFilesDirectory !== undefined) {
      await loadGoalFiles(config.goalFilesDirectory, byName, problems);
    }
    const chain = resolveChain(config.goals, byName, problems);
    const thresholds = thresholdsOf(config, problems);
    if (problems.length > 0) throw new ConfigError(problems);
    return new GoalRegistry(byName, chain, INTRA_BROKER_GOALS, thresholds);
  }
}

async function loadGoalFiles(directory: string, byName: Map<string, Goal>, problems: ConfigProblem[]): Promise<void> {
  const key = 'analyzer.goalFilesDirectory';
  const files = readdirSync(directory)
    .filter((f) => GOAL_FILE.test(f))
    .sort();
  if (files.length === 0) problems.push({ key, source: directory, message: 'holds no *.goal.js or *.goal.mjs file' });
  for (const file of files) {
    const path = resolve(join(directory, file));
    let exported: Record<string, unknown>;
    try {
      exported = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (error) {
      problems.push({ key, source: path, message: `cannot be loaded: ${(error as Error).message}` });
      continue;
    }
    const goals = Object.values(exported).filter(isGoal);
    if (goals.length === 0) {
      problems.push({
        key,
        source: path,
        message: 'exports no goal (an object with name, hard, optimize, accepts, status)',
      });
    }
    for (const goal of goals) {
      if (byName.has(goal.name)) {
        problems.push({
          key,
          source: path,
          message: `goal ${goal.name} is already defined (built in or another file)`,
        });
        continue;
      }
      byName.set(goal.name, goal);
    }
  }
}

function resolveChain(entries: readonly string[], byName: Map<string, Goal>, problems: ConfigProblem[]): Goal[] {
  if (entries.length === 0) return [...DEFAULT_GOALS];
  const chain: Goal[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const [name, flag] = entry.split(':') as [string, 'hard' | 'soft' | undefined];
    const goal = byName.get(name);
    if (goal === undefined) {
      problems.push({
        key: 'analyzer.goals',
        source: 'config',
        message: `unknown goal ${name}; known: ${[...byName.keys()].join(', ')}`,
      });
      continue;
    }
    if (seen.has(name)) {
      problems.push({ key: 'analyzer.goals', source: 'config', message: `goal ${name} is listed twice` });
      continue;
    }
    seen.add(name);
    // An override is a copy, so the shared built-in goal object keeps its own flag.
    chain.push(flag === undefined || (flag === 'hard') === goal.hard ? goal : { ...goal, hard: flag === 'hard' });
  }
  return chain;
}

function thresholdsOf(config: AnalyzerConfig, problems: ConfigProblem[]): GoalThresholds {
  const pattern = config.minTopicLeadersPerBroker.topicPattern;
  return {
    ...DEFAULT_THRESHOLDS,
    capacityThreshold: { ...config.capacityThreshold },
    balanceThreshold: { ...config.balanceThreshold },
    replicaCountBalanceThreshold: config.replicaCountBalanceThreshold,
    leaderReplicaCountBalanceThreshold: config.leaderReplicaCountBalanceThreshold,
    maxReplicasPerBroker: config.maxReplicasPerBroker,
    topicReplicaCountBalance: { ...config.topicReplicaCountBalance },
    // Cruise Control matches the whole topic name.
    minTopicLeadersPerBroker: {
      topicPattern: pattern === '' ? null : new RegExp(`^(?:${pattern})$`),
      minLeaders: config.minTopicLeadersPerBroker.minLeaders,
    },
    brokerSets: config.brokerSetsFile === undefined ? null : readBrokerSets(config.brokerSetsFile, problems),
  };
}

/**
 * Cruise Control's brokerSets.json: `{"brokerSets": [{"brokerSetId": "Blue", "brokerIds": [0, 1], "doc": "…"}]}`.
 * Sets must have distinct ids and no broker in two sets.
 */
export function readBrokerSets(file: string, problems: ConfigProblem[]): { id: string; brokerIds: number[] }[] | null {
  const key = 'analyzer.brokerSetsFile';
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push({ key, source: file, message: `not valid JSON: ${(error as Error).message}` });
    return null;
  }
  const sets = (parsed as { brokerSets?: unknown } | null)?.brokerSets;
  if (!Array.isArray(sets)) {
    problems.push({ key, source: file, message: 'brokerSets: expected an array' });
    return null;
  }
  const out: { id: string; brokerIds: number[] }[] = [];
  const owner = new Map<number, string>();
  sets.forEach((set: unknown, i) => {
    const { brokerSetId, brokerIds } = (set ?? {}) as { brokerSetId?: unknown; brokerIds?: unknown };
    const at = `brokerSets[${i}]`;
    if (typeof brokerSetId !== 'string' || brokerSetId === '') {
      problems.push({ key, source: file, message: `${at}.brokerSetId: expected a non-empty string` });
      return;
    }
    if (out.some((s) => s.id === brokerSetId)) {
      problems.push({ key, source: file, message: `${at}.brokerSetId: ${brokerSetId} is used twice` });
      return;
    }
    if (!Array.isArray(brokerIds) || !brokerIds.every((id) => Number.isInteger(id) && (id as number) >= 0)) {
      problems.push({ key, source: file, message: `${at}.brokerIds: expected an array of broker ids` });
      return;
    }
    for (const id of brokerIds as number[]) {
      const other = owner.get(id);
      if (other !== undefined)
        problems.push({ key, source: file, message: `${at}.brokerIds: broker ${id} is also in ${other}` });
      owner.set(id, brokerSetId);
    }
    out.push({ id: brokerSetId, brokerIds: brokerIds as number[] });
  });
  return out;
}

// `npm run optimize -- --model FILE.json [--goals A,B,…] [--out proposal.json] [--excluded-topics REGEX]
// [--skip-hard-goal-check]`: reads a model in the ballast-model/1 format (docs/model-format.md), runs
// the goals, writes the proposal and goal statuses as JSON and prints a summary. Exit 2 on bad input,
// 3 when a hard goal cannot be met.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_GOALS, GOALS_BY_NAME, type Goal } from '../goals/index.js';
import { estimatedExecutionMs, HardGoalViolationError, optimize } from '../src/analyzer/index.js';
import { ModelJsonError, modelFromJson } from '../src/model/index.js';

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function goalsFrom(list: string | undefined): Goal[] {
  if (list === undefined) return [...DEFAULT_GOALS];
  const names = list
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  const unknown = names.filter((n) => !GOALS_BY_NAME.has(n));
  if (unknown.length > 0 || names.length === 0) {
    fail(
      `--goals: unknown goal(s) ${unknown.join(', ') || '(none given)'}; known: ${[...GOALS_BY_NAME.keys()].join(', ')}`,
    );
  }
  return names.map((n) => GOALS_BY_NAME.get(n)!);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      goals: { type: 'string' },
      out: { type: 'string' },
      'excluded-topics': { type: 'string' },
      'skip-hard-goal-check': { type: 'boolean', default: false },
    },
  });
  if (values.model === undefined) fail('--model FILE.json is required');
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(values.model, 'utf8'));
  } catch (error) {
    fail(`--model ${values.model}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let model;
  try {
    model = modelFromJson(document);
  } catch (error) {
    if (error instanceof ModelJsonError) fail(`--model ${values.model}: ${error.message}`);
    throw error;
  }
  let excludedTopics: RegExp | undefined;
  if (values['excluded-topics'] !== undefined) {
    try {
      excludedTopics = new RegExp(`^(?:${values['excluded-topics']})$`);
    } catch (error) {
      fail(`--excluded-topics: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const goals = goalsFrom(values.goals);
  try {
    const result = optimize(model, { goals, excludedTopics, skipHardGoalCheck: values['skip-hard-goal-check'] });
    if (values.out !== undefined) writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
    const lines = [
      `${model.brokerCount} brokers, ${model.partitionCount} partitions, ${model.replicaCount} replicas; ${goals.length} goals in ${result.durationMs.toFixed(0)} ms`,
      `proposals: ${result.proposals.length} partitions, ${result.replicaMoves} replica moves, ${result.leaderMoves} leader moves, ${result.dataToMoveMb.toFixed(1)} MB to move`,
      `balancedness: ${result.balancednessBefore.toFixed(2)} → ${result.balancednessAfter.toFixed(2)}`,
      `busiest broker: ${result.transfer.busiestBroker} sends or receives ${result.transfer.busiestBrokerMb.toFixed(1)} MB` +
        ` (${(estimatedExecutionMs(result.transfer, 10 * 1024 * 1024) / 1000).toFixed(0)} s at least at a 10 MiB/s throttle)`,
      `survives the loss of any one broker: ${result.failureBudgetBefore.survivesAnySingleBrokerLoss ? 'yes' : 'no'} → ${result.failureBudgetAfter.survivesAnySingleBrokerLoss ? 'yes' : 'no'}` +
        (result.failureBudgetAfter.worstCase
          ? ` (worst case after: ${result.failureBudgetAfter.worstCase.detail})`
          : ''),
      ...result.goals.map(
        (g) =>
          `  ${g.name.padEnd(40)} ${g.hard ? 'hard' : 'soft'}  violations ${g.before.violations} → ${g.after.violations}${g.after.satisfied ? '' : '  NOT MET'}`,
      ),
      ...(values.out === undefined ? [] : [`written to ${values.out}`]),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } catch (error) {
    if (error instanceof HardGoalViolationError) fail(error.message, 3);
    throw error;
  }
}

main();

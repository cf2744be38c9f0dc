// The optimizer thread's entry point (see optimizer-thread.ts). It loads the goal registry once,
// then answers each request with the optimized model's arrays, moved back rather than copied.
import { parentPort } from 'node:worker_threads';
import type { Goal } from '../../goals/index.js';
import { ClusterModel } from '../model/index.js';
import { GoalRegistry } from './goal-registry.js';
import { optimize } from './optimizer.js';
import {
  buffersOf,
  sendableError,
  type OptimizeReply,
  type OptimizeRequest,
  type OptimizerInit,
} from './optimizer-protocol.js';

const port = parentPort!;
let registry: Promise<GoalRegistry> | null = null;

function goalsOf(byName: ReadonlyMap<string, Goal>, specs: OptimizeRequest['goals']): Goal[] {
  return specs.map(({ name, hard }) => {
    const goal = byName.get(name);
    if (goal === undefined) throw new Error(`goal ${name} is not known to the optimizer thread`);
    // The analyzer's chain may override a goal's hard/soft flag; so does the copy here.
    return goal.hard === hard ? goal : { ...goal, hard };
  });
}

async function answer(request: OptimizeRequest): Promise<void> {
  let reply: OptimizeReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const { byName } = await registry!;
    const model = new ClusterModel(request.tables, request.arrays);
    const result = optimize(model, { ...request.options, goals: goalsOf(byName, request.goals) });
    const arrays = model.toArrays();
    reply = { kind: 'result', id: request.id, arrays, result };
    transfer = buffersOf(arrays);
  } catch (error) {
    reply = { kind: 'error', id: request.id, error: sendableError(error) };
  }
  port.postMessage(reply, transfer);
}

port.on('message', (message: OptimizerInit | OptimizeRequest) => {
  if (message.kind === 'init') {
    registry = GoalRegistry.load(message.analyzer);
    // A registry that fails to load here loaded in the main thread at start-up: each request reports it.
    registry.catch(() => undefined);
    return;
  }
  void answer(message);
});

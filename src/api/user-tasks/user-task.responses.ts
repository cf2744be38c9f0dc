// The answers about user tasks, in Cruise Control's shapes: the 202 progress body
// (ProgressResult) and GET /user_tasks (UserTaskState), as JSON and as plain text.
import { describeError } from '../../common/index.js';
import type { UserTask } from './user-task.manager.js';

export interface StepProgressJson {
  step: string;
  description: string;
  'time-in-ms': number;
  completionPercentage: number;
}

export interface ProgressResultJson {
  version: 1;
  progress: { version: 1; operation: string; operationProgress: StepProgressJson[] }[];
}

/** Cruise Control's progress body: each step with its duration; only finished steps count as 100%. */
export function progressResult(task: UserTask, nowMs: number): ProgressResultJson {
  const operationProgress = task.steps.map((s, i) => {
    const next = task.steps[i + 1];
    return {
      step: s.step,
      description: s.description,
      'time-in-ms': Math.max(0, (next?.startMs ?? nowMs) - s.startMs),
      completionPercentage: next === undefined ? 0 : 100,
    };
  });
  return {
    version: 1,
    progress: [{ version: 1, operation: `${task.request.method} ${task.request.endpoint}`, operationProgress }],
  };
}

export function progressResultText(json: ProgressResultJson, userTaskId: string): string {
  const lines = [
    `User task ${userTaskId} is still running; repeat the request with header User-Task-ID: ${userTaskId}`,
  ];
  for (const op of json.progress) {
    lines.push(`${op.operation}:`);
    for (const s of op.operationProgress) {
      lines.push(`  ${s.step} (${s['time-in-ms']} ms, ${s.completionPercentage}%): ${s.description}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface UserTaskInfoJson {
  UserTaskId: string;
  RequestURL: string;
  ClientIdentity: string;
  /** Epoch ms as a string, as Cruise Control writes it. */
  StartMs: string;
  Status: UserTask['status'];
  originalResponse?: string;
}

export interface UserTaskStateJson {
  version: 1;
  userTasks: UserTaskInfoJson[];
}

/** GET /user_tasks; `fetchCompletedTask` adds each finished task's answer (or error message). */
export function userTaskState(tasks: readonly UserTask[], fetchCompletedTask: boolean): UserTaskStateJson {
  return {
    version: 1,
    userTasks: tasks.map((t) => ({
      UserTaskId: t.id,
      RequestURL: `${t.request.method} ${t.request.url}`,
      ClientIdentity: t.request.clientIdentity,
      StartMs: String(t.startMs),
      Status: t.status,
      ...(fetchCompletedTask && t.outcome !== undefined ? { originalResponse: originalResponse(t) } : {}),
    })),
  };
}

function originalResponse(task: UserTask): string {
  const outcome = task.outcome!;
  if (!outcome.ok) return `Error: ${describeError(outcome.error)}`;
  return typeof outcome.value === 'string' ? outcome.value : JSON.stringify(outcome.value);
}

export function userTaskStateText(json: UserTaskStateJson): string {
  if (json.userTasks.length === 0) return 'No user tasks.\n';
  const header = ['USER TASK ID', 'CLIENT ADDRESS', 'START TIME', 'STATUS', 'REQUEST URL'];
  const rows = json.userTasks.map((t) => [
    t.UserTaskId,
    t.ClientIdentity,
    new Date(Number(t.StartMs)).toISOString(),
    t.Status,
    t.RequestURL,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [line(header), ...rows.map(line)];
  for (const t of json.userTasks) {
    if (t.originalResponse !== undefined) out.push('', `${t.UserTaskId}:`, t.originalResponse.trimEnd());
  }
  return `${out.join('\n')}\n`;
}

// What goes between the analyzer and its optimizer thread. Everything here survives structured
// cloning: typed arrays, Maps and RegExps do; goals (objects with functions) do not, so they travel
// as names with their hard/soft flag and the thread looks them up in its own goal registry.
import type { BallastConfigValues } from '../config/index.js';
import type { ModelArrays, ModelTables } from '../model/index.js';
import { DiskRemovalError, DrainError } from './drain.js';
import { HardGoalViolationError, type OptimizationOptions, type OptimizationResult } from './optimizer.js';

export interface OptimizerInit {
  kind: 'init';
  /** The analyzer section of the config: the thread loads the same goal files. */
  analyzer: BallastConfigValues['analyzer'];
}

export interface OptimizeRequest {
  kind: 'optimize';
  id: number;
  tables: ModelTables;
  arrays: ModelArrays;
  goals: { name: string; hard: boolean }[];
  options: Omit<OptimizationOptions, 'goals'>;
}

/** An error the optimizer threw on purpose, rebuilt as the same class on the other side. */
export type SentError =
  | { kind: 'HardGoalViolationError'; goal: string; details: string[] }
  | { kind: 'DrainError'; brokers: number[]; partitions: string[]; remaining: number }
  | { kind: 'DiskRemovalError'; logDirs: string[]; partitions: string[]; remaining: number }
  | { kind: 'Error'; message: string; stack?: string };

export type OptimizeReply =
  | { kind: 'result'; id: number; arrays: ModelArrays; result: OptimizationResult }
  | { kind: 'error'; id: number; error: SentError };

export function sendableError(error: unknown): SentError {
  if (error instanceof HardGoalViolationError)
    return { kind: 'HardGoalViolationError', goal: error.goal, details: error.details };
  if (error instanceof DrainError)
    return { kind: 'DrainError', brokers: error.brokers, partitions: error.partitions, remaining: error.remaining };
  if (error instanceof DiskRemovalError)
    return {
      kind: 'DiskRemovalError',
      logDirs: error.logDirs,
      partitions: error.partitions,
      remaining: error.remaining,
    };
  const e = error instanceof Error ? error : new Error(String(error));
  return { kind: 'Error', message: e.message, stack: e.stack };
}

export function receivedError(sent: SentError): Error {
  switch (sent.kind) {
    case 'HardGoalViolationError':
      return new HardGoalViolationError(sent.goal, sent.details);
    case 'DrainError':
      return new DrainError(sent.brokers, sent.partitions, sent.remaining);
    case 'DiskRemovalError':
      return new DiskRemovalError(sent.logDirs, sent.partitions, sent.remaining);
    case 'Error': {
      const error = new Error(`the optimizer failed: ${sent.message}`);
      if (sent.stack) error.stack = sent.stack;
      return error;
    }
  }
}

/** Every typed array of the model, for the transfer list of a reply (moved, not copied). */
export function buffersOf(arrays: ModelArrays): ArrayBuffer[] {
  return [...new Set(Object.values(arrays).map((a: { buffer: ArrayBufferLike }) => a.buffer as ArrayBuffer))];
}

// Alerts as data and their webhook payloads: Ballast's JSON document, or a Slack incoming-webhook
// `text` message. Pure.
import type { DetectedType } from './anomaly.js';
import type { DecisionAction, FailureBudgetStatus } from './self-healing.policy.js';

export interface Alert {
  /** `critical` when Ballast will not heal by itself (budget exceeded, heal failed to start). */
  severity: 'warning' | 'critical';
  /** The policy's action, or what happened: `FIX_STARTED`, `FIX_FAILED_TO_START`, `RESOLVED`. */
  event: DecisionAction | 'FIX_STARTED' | 'FIX_FAILED_TO_START' | 'RESOLVED';
  anomalyType: DetectedType;
  anomalyId: string;
  description: string;
  reason: string;
  detectionMs: number;
  atMs: number;
  failureBudget: FailureBudgetStatus;
  executionId?: string;
}

export type AlertFormat = 'json' | 'slack';

export function alertPayload(alert: Alert, format: AlertFormat): Record<string, unknown> {
  if (format === 'json') return { source: 'ballast', ...alert };
  const icon = alert.severity === 'critical' ? ':rotating_light:' : ':warning:';
  const execution = alert.executionId !== undefined ? ` (execution ${alert.executionId})` : '';
  return {
    text: `${icon} Ballast ${alert.anomalyType} ${alert.event}${execution}: ${alert.description}. ${alert.reason}`,
  };
}

// Tells people: a structured log line per alert (warn, or error when Ballast will not heal by
// itself) and, when detector.alerts.webhookUrl is set, a POST with a timeout. Each alert is sent
// once per anomaly and event; a webhook failure is logged, never thrown.
import { Injectable, Logger } from '@nestjs/common';
import { describeError, withTimeout } from '../common/index.js';
import { BallastConfig } from '../config/index.js';
import { alertPayload, type Alert } from './alert.js';

/** Alert keys remembered for de-duplication; older ones are forgotten first. */
const MAX_REMEMBERED = 1_000;

@Injectable()
export class AnomalyNotifier {
  private readonly logger = new Logger('AnomalyDetector');
  private readonly sent = new Set<string>();

  constructor(private readonly config: BallastConfig) {}

  /** Logs and posts `alert` unless this anomaly already raised this event. Never throws. */
  async notify(alert: Alert): Promise<void> {
    const key = `${alert.anomalyId}|${alert.event}`;
    if (alert.event === 'RESOLVED') {
      // The same brokers may fail again later: that is a new anomaly with the same id, alerted anew.
      for (const k of [...this.sent]) if (k.startsWith(`${alert.anomalyId}|`)) this.sent.delete(k);
    } else {
      if (this.sent.has(key)) return;
      this.sent.add(key);
      if (this.sent.size > MAX_REMEMBERED) this.sent.delete(this.sent.values().next().value!);
    }
    const line = {
      msg: `anomaly ${alert.event}`,
      anomalyType: alert.anomalyType,
      anomalyId: alert.anomalyId,
      description: alert.description,
      reason: alert.reason,
      executionId: alert.executionId,
      failureBudget: alert.failureBudget.reason,
    };
    if (alert.severity === 'critical') this.logger.error(line);
    else this.logger.warn(line);
    await this.post(alert);
  }

  private async post(alert: Alert): Promise<void> {
    const { webhookUrl, format, timeoutMs } = this.config.detector.alerts;
    if (webhookUrl === undefined) return;
    try {
      // Raced as well: Node 20's fetch can miss its abort signal, and a POST that never settles
      // would hold the detection cycle (and every cycle after it, which join the one in flight).
      const response = await withTimeout(
        fetch(webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(alertPayload(alert, format)),
          signal: AbortSignal.timeout(timeoutMs),
        }),
        timeoutMs + 1_000,
        () => new Error(`no answer within ${timeoutMs} ms`),
      );
      if (!response.ok) {
        this.logger.warn({
          msg: 'alert webhook refused the alert',
          status: response.status,
          anomalyId: alert.anomalyId,
        });
      }
    } catch (error) {
      this.logger.warn({ msg: 'alert webhook failed', error: describeError(error), anomalyId: alert.anomalyId });
    }
  }
}

// What the anomaly detector keeps across restarts — first-seen times (so a restarted Ballast keeps
// a broker's original failure time), self-healing switched at run time, recent anomalies, the heal
// in progress — behind a store: Redis in production, memory in unit tests.
import type { AnomalyType, FirstSeen } from './anomaly.js';
import type { AnomalyRecord } from './anomaly-records.js';

export interface PersistedDetectorState {
  version: 1;
  firstSeen: FirstSeen;
  /** Self-healing per type as switched with POST /admin; types never switched follow the config. */
  selfHealing: Partial<Record<AnomalyType, boolean>>;
  records: AnomalyRecord[];
  /** The anomaly a self-healing execution is healing; null when none. */
  healing: { anomalyId: string; executionId: string } | null;
  numSelfHealingStarted: number;
  numSelfHealingFailedToStart: number;
}

export abstract class DetectorStore {
  /** The saved state; null when none was saved. */
  abstract load(): Promise<PersistedDetectorState | null>;
  abstract save(state: PersistedDetectorState): Promise<void>;
}

export class InMemoryDetectorStore extends DetectorStore {
  private saved: string | null = null;

  load(): Promise<PersistedDetectorState | null> {
    return Promise.resolve(this.saved === null ? null : (JSON.parse(this.saved) as PersistedDetectorState));
  }

  save(state: PersistedDetectorState): Promise<void> {
    this.saved = JSON.stringify(state);
    return Promise.resolve();
  }
}

// Cruise Control's balancedness score: 100 when every goal is satisfied, less by the weight of each
// violated goal. The lowest-priority goal weighs 1, each step up in priority ×1.1, a hard goal ×1.5.

/** Per-priority-step factor (CC: goal.balancedness.priority.weight). */
export const PRIORITY_WEIGHT = 1.1;
/** Factor for a hard goal (CC: goal.balancedness.strictness.weight). */
export const STRICTNESS_WEIGHT = 1.5;

/** Goals in priority order, highest first, with whether each is satisfied. */
export function balancednessScore(goals: readonly { hard: boolean; satisfied: boolean }[]): number {
  if (goals.length === 0) return 100;
  let total = 0;
  let violated = 0;
  goals.forEach((goal, i) => {
    const weight = PRIORITY_WEIGHT ** (goals.length - 1 - i) * (goal.hard ? STRICTNESS_WEIGHT : 1);
    total += weight;
    if (!goal.satisfied) violated += weight;
  });
  // Subtracting keeps an all-satisfied run at exactly 100.
  return 100 - (100 * violated) / total;
}

// Human-readable text for the CLI from Ballast's JSON answers (Cruise Control's shapes). Pure.
// Every field is read defensively: the server may be an older Ballast or Cruise Control itself.

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** 45s, 3m 05s, 2h 10m. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Left-aligned text columns, right-aligned numbers, two spaces apart. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const fixed = (v: unknown, digits = 1): number => Number((num(v) ?? 0).toFixed(digits));

/** GET /state?json=true. */
export function formatState(state: Json): string {
  const lines: string[] = [];
  const monitor = obj(state.MonitorState);
  if (state.MonitorState !== undefined) {
    const valid = `${num(monitor.numValidPartitions) ?? '?'}/${num(monitor.numTotalPartitions) ?? '?'} partitions valid`;
    const ready = monitor.ready === true ? 'model ready' : monitor.ready === false ? 'model not ready' : undefined;
    lines.push(
      `Monitor:   ${[str(monitor.state) ?? '?', `${num(monitor.numMonitoredWindows) ?? '?'} windows`, valid, ready]
        .filter((s) => s !== undefined)
        .join(', ')}`,
    );
    for (const reason of arr(monitor.notReadyReasons)) lines.push(`           not ready: ${String(reason)}`);
    if (str(monitor.error)) lines.push(`           error: ${str(monitor.error)}`);
  }
  if (state.ExecutorState !== undefined) {
    const executor = obj(state.ExecutorState);
    const last = obj(executor.lastExecution);
    const lastText = str(last.status)
      ? ` (last: ${str(last.operation) ?? 'execution'} ${str(last.status)}${num(last.elapsedMs) !== undefined ? ` in ${formatDuration(num(last.elapsedMs)!)}` : ''})`
      : '';
    lines.push(`Executor:  ${str(executor.state) ?? '?'}${lastText}`);
    if (str(executor.pausedReason)) lines.push(`           paused: ${str(executor.pausedReason)}`);
  }
  if (state.AnalyzerState !== undefined) {
    const analyzer = obj(state.AnalyzerState);
    lines.push(
      `Analyzer:  proposal ready: ${analyzer.isProposalReady === true ? 'yes' : 'no'}, ${arr(analyzer.readyGoals).length} goals ready`,
    );
  }
  if (state.AnomalyDetectorState !== undefined) {
    const detector = obj(state.AnomalyDetectorState);
    const healing = arr(detector.selfHealingEnabled).map(String);
    lines.push(`Detector:  self-healing ${healing.length > 0 ? `on for ${healing.join(', ')}` : 'off'}`);
    const budget = obj(detector.failureBudget);
    if (str(budget.reason)) lines.push(`           failure budget: ${str(budget.reason)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** GET /load?json=true: one row per broker. */
export function formatLoad(stats: Json): string {
  const brokers = arr(stats.brokers).map(obj);
  if (brokers.length === 0) return 'No brokers in the load model.\n';
  const rows = brokers.map((b) => [
    num(b.Broker) ?? -1,
    str(b.Host) ?? '',
    str(b.Rack) ?? '',
    str(b.BrokerState) ?? '',
    fixed(b.DiskMB),
    fixed(b.DiskPct),
    fixed(b.CpuPct),
    fixed((num(b.LeaderNwInRate) ?? 0) + (num(b.FollowerNwInRate) ?? 0)),
    fixed(b.NwOutRate),
    num(b.Leaders) ?? 0,
    num(b.Replicas) ?? 0,
  ]);
  const headers = [
    'BROKER',
    'HOST',
    'RACK',
    'STATE',
    'DISK_MB',
    'DISK_%',
    'CPU_%',
    'NW_IN_KB/s',
    'NW_OUT_KB/s',
    'LEADERS',
    'REPLICAS',
  ];
  return `${table(headers, rows)}\n`;
}

/** An OptimizationResult (proposals and every proposal-executing POST). */
export function formatOptimization(result: Json, options: { dryRun: boolean }): string {
  const summary = obj(result.summary);
  const lines: string[] = [];
  const replicas = num(summary.numReplicaMovements) ?? 0;
  const intra = num(summary.numIntraBrokerReplicaMovements) ?? 0;
  const leaders = num(summary.numLeaderMovements) ?? 0;
  lines.push(
    `${options.dryRun ? 'Proposal (dry run)' : 'Proposal being executed'}: ${replicas} replica moves (${fixed(summary.dataToMoveMB)} MB), ` +
      `${intra} moves between disks (${fixed(summary.intraBrokerDataToMoveMB)} MB), ${leaders} leader moves`,
  );
  const before = num(summary.onDemandBalancednessScoreBefore);
  const after = num(summary.onDemandBalancednessScoreAfter);
  if (before !== undefined && after !== undefined) {
    lines.push(`Balancedness: ${before.toFixed(1)} -> ${after.toFixed(1)}`);
  }
  const goals = arr(result.goalSummary).map(obj);
  if (goals.length > 0) {
    lines.push('Goals:');
    lines.push(
      table(
        ['  GOAL', 'STATUS'],
        goals.map((g) => [`  ${str(g.goal) ?? '?'}`, str(g.status) ?? '?']),
      ),
    );
  }
  const budget = obj(result.failureBudget);
  const survives = (r: unknown) => (obj(r).survivesAnySingleBrokerLoss === true ? 'yes' : 'no');
  if (result.failureBudget !== undefined) {
    lines.push(
      `Survives the loss of any one broker: before ${survives(budget.before)}, after ${survives(budget.after)}`,
    );
  }
  const execution = obj(result.execution);
  const estimatedMs = num(execution.estimatedTimeMs);
  if (estimatedMs !== undefined) lines.push(`Estimated execution time: ${formatDuration(estimatedMs)}`);
  return `${lines.join('\n')}\n`;
}

/** How many moves an OptimizationResult holds (0: nothing to execute). */
export function moveCount(result: Json): number {
  const summary = obj(result.summary);
  return (
    (num(summary.numReplicaMovements) ?? 0) +
    (num(summary.numIntraBrokerReplicaMovements) ?? 0) +
    (num(summary.numLeaderMovements) ?? 0)
  );
}

/** `{version, message}` answers (stop_proposal_execution). */
export function formatMessage(answer: Json): string {
  return `${str(answer.message) ?? JSON.stringify(answer)}\n`;
}

/** A ReviewResult: the request was held for review (two-step verification), not run. */
export function isReviewResult(answer: Json): boolean {
  return Array.isArray(answer.RequestInfo);
}

export function formatReview(answer: Json): string {
  const lines = arr(answer.RequestInfo)
    .map(obj)
    .map((r) => {
      const id = num(r.Id) ?? '?';
      return (
        `Held for review: request ${id} ${str(r.Status) ?? ''}: ${str(r.EndpointWithParams) ?? ''}\n` +
        `  Once approved (POST /kafkacruisecontrol/review?approve=${id}), run the same command with --review-id ${id}.`
      );
    });
  return `${lines.join('\n')}\n`;
}

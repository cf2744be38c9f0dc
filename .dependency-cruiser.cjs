// The architecture's boundaries, enforced by the build (`npm run lint:deps`, part of `npm run lint`
// and so of `npm test`): the pure core's allow-list, index-only imports across stages, no cycles.
// test/unit/boundaries.test.ts runs these rules on test/fixtures/boundaries/, where each one must fire.
// CommonJS (.cjs, as package.json makes .js files ES modules), so require() reads the baseline JSON.

/**
 * The pure core: the workload model, the goals, the analyzer's optimizer and its reports, the
 * executor's planner, the detectors and the self-healing policy, plus the pure parts of
 * src/common and src/kafka they build on. Deterministic code over plain data; no Nest, no I/O.
 */
const PURE_CORE = [
  '^src/model/',
  '^goals/',
  // Not analyzer.service.ts (Nest), goal-registry.ts (node:fs), optimizer-thread.ts and
  // optimizer.worker.ts (node:worker_threads).
  '^src/analyzer/(pure|analyzer[.]errors|balancedness|cluster-model-stats|drain|execution-estimate|failure-budget|optimality-bound|optimality-lp|optimizer|optimizer-protocol|proposal|proposal-cache|proposal-optimality|direct-proposals|request-resolver)[.]ts$',
  '^src/analyzer/operations/',
  '^src/executor/planner/',
  '^src/detector/(anomaly|[^/]+[.]detector|self-healing[.]policy|anomaly-records|anomaly-detector-state|alert)[.]ts$',
  // All of src/common but json.logger.ts (pino, Nest's LoggerService) and index.ts, which exports it.
  '^src/common/(?!(json[.]logger|index)[.]ts$)',
  // The cluster snapshot as plain data and its status helpers; not the gateways (kafkajs).
  '^src/kafka/(pure|cluster-snapshot)[.]ts$',
];

/**
 * npm packages the core may load: both are pure computation. javascript-lp-solver solves the
 * optimality bound's LP; zod validates the model's JSON format (src/model/model-json.ts).
 */
const PURE_PACKAGES = '(^|/)node_modules/(javascript-lp-solver|zod)/';

/**
 * Stage entries the core may import types from, and only types (`import type`: erased at compile
 * time, so nothing of the stage loads): src/config for the options' shapes, and src/monitor for
 * BrokerLatencySample, the plain record of what the samplers measured that the slow-broker
 * detector compares (its file imports the samplers' types, so it cannot join the core itself).
 */
const TYPE_ONLY_ENTRIES = '^src/(config|monitor)/index[.]ts$';

/** A stage folder: src/<stage>/ (sub-folders belong to their stage) or goals/. */
const STAGE = '^(src/[^/]+|goals)/';

/**
 * A stage's public entries. index.ts is the whole surface. A stage whose surface mixes pure code
 * with Nest or I/O also has pure.ts, the pure part only (src/common, src/kafka, src/analyzer): the
 * core imports that, since importing index.ts would load the stage's Nest module with it.
 */
const STAGE_ENTRY = '^(src/[^/]+|goals)/(index|pure)[.]ts$';

/** Where an import comes from, capturing its own stage (or, for src/main.ts and the like, itself). */
const IMPORTER = '^(src/[^/]+/|goals/|src/[^/]+[.]ts$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'pure-core-allow-list',
      comment:
        'The pure core imports only the pure core, javascript-lp-solver and zod, and types from ' +
        'src/config and src/monitor: no node: builtins, Nest, kafkajs, bullmq, ioredis, prom-client or other stages.',
      severity: 'error',
      from: { path: PURE_CORE },
      to: { pathNot: [...PURE_CORE, PURE_PACKAGES, TYPE_ONLY_ENTRIES] },
    },
    {
      name: 'pure-core-type-only',
      comment: 'The pure core imports src/config and src/monitor with `import type` only: their index loads Nest.',
      severity: 'error',
      from: { path: PURE_CORE },
      to: { path: TYPE_ONLY_ENTRIES, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'index-only-across-stages',
      comment:
        "Another stage is imported through its index.ts (or pure.ts), so a stage's files can change " +
        'without breaking the others.',
      severity: 'error',
      from: { path: IMPORTER },
      // $1: the importer's own stage, whose files import each other freely.
      to: { path: STAGE, pathNot: ['^$1', STAGE_ENTRY] },
    },
    {
      name: 'no-cycles',
      comment: 'No import cycles, type-only imports included (tsPreCompilationDeps).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Violations in files other work owns at the moment (issue 16: src/model and goals/support import
    // src/common's files directly instead of src/common/pure.ts). Ignored but counted on every run;
    // delete each entry once its import is fixed, then the rule holds for that file too.
    knownViolations: require('./.dependency-cruiser-known-violations.json'),
    doNotFollow: { path: '(^|/)node_modules/' },
    // The rules' own fixtures (each breaks a rule on purpose) and the operators' plain-ESM goal files.
    exclude: { path: '^test/fixtures/(boundaries|goals)/' },
    // Type-only imports count: a cycle or a forbidden import through types is still one.
    tsPreCompilationDeps: true,
    // NodeNext resolution: './x.js' specifiers resolve to './x.ts'.
    tsConfig: { fileName: 'tsconfig.json' },
  },
};

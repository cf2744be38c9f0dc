// Analyzer (not built yet): the bridge from a cluster snapshot to plain proposals.
export { AnalyzerModule } from './analyzer.module.js';

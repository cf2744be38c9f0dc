// Broker capacity files: Cruise Control's JSON and Ballast's YAML, parsed, loaded and resolved per broker.
export { DEFAULT_BROKER_ID, type BrokerCapacity, type CapacitySet, type CpuCapacity } from './capacity.types.js';
export { CapacityFileError, MissingCapacityError, type CapacityProblem } from './capacity.errors.js';
export { parseCapacityJson, parseCapacityYaml } from './capacity.parser.js';
export { loadCapacityFile } from './capacity.loader.js';
export { resolveCapacity, type ResolveCapacityOptions, type ResolvedCapacity } from './capacity.resolver.js';

// Operations: rebalance, add/remove/demote broker, fix offline replicas, remove disks and topic
// configuration as one typed union, proposed and executed on one path by the API and self-healing.
export type { BrokerLogDir, Operation, OperationKind } from './operation.js';
export {
  OperationService,
  type OperationOutcome,
  type OperationProgress,
  type RunOptions,
} from './operation.service.js';
export { OperationsModule } from './operations.module.js';

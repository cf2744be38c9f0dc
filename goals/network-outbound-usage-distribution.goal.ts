// NetworkOutboundUsageDistributionGoal: Keeps each broker's bytes-out utilization within network.outbound.balance.threshold (1.10) of the mean. Soft.
import { Resource } from '../src/model/index.js';
import { distributionGoal } from './support/distribution-goal.js';

export const networkOutboundUsageDistributionGoal = distributionGoal(
  'NetworkOutboundUsageDistributionGoal',
  Resource.NW_OUT,
  'networkOutbound',
);

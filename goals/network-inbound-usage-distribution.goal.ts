// NetworkInboundUsageDistributionGoal: Keeps each broker's bytes-in utilization within network.inbound.balance.threshold (1.10) of the mean. Soft.
import { Resource } from '../src/model/index.js';
import { distributionGoal } from './support/distribution-goal.js';

export const networkInboundUsageDistributionGoal = distributionGoal(
  'NetworkInboundUsageDistributionGoal',
  Resource.NW_IN,
  'networkInbound',
);

// NetworkOutboundCapacityGoal: Keeps every broker's bytes out under network.outbound.capacity.threshold (0.8); moves leadership first. Hard.
import { Resource } from '../src/model/index.js';
import { capacityGoal } from './support/capacity-goal.js';

export const networkOutboundCapacityGoal = capacityGoal(
  'NetworkOutboundCapacityGoal',
  Resource.NW_OUT,
  'networkOutbound',
);

// NetworkInboundCapacityGoal: Keeps every broker's bytes in under network.inbound.capacity.threshold (0.8) of its capacity. Hard.
import { Resource } from '../src/model/index.js';
import { capacityGoal } from './support/capacity-goal.js';

export const networkInboundCapacityGoal = capacityGoal('NetworkInboundCapacityGoal', Resource.NW_IN, 'networkInbound');

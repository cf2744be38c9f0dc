// DiskCapacityGoal: Keeps every broker's disk under disk.capacity.threshold (0.8) of its capacity. Hard.
import { Resource } from '../src/model/index.js';
import { capacityGoal } from './support/capacity-goal.js';

export const diskCapacityGoal = capacityGoal('DiskCapacityGoal', Resource.DISK, 'disk');

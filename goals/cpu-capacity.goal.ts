// CpuCapacityGoal: Keeps every broker's CPU under cpu.capacity.threshold (0.7); moves leadership first. Hard.
import { Resource } from '../src/model/index.js';
import { capacityGoal } from './support/capacity-goal.js';

export const cpuCapacityGoal = capacityGoal('CpuCapacityGoal', Resource.CPU, 'cpu');

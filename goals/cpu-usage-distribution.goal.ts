// CpuUsageDistributionGoal: Keeps each broker's CPU utilization within cpu.balance.threshold (1.10) of the mean. Soft.
import { Resource } from '../src/model/index.js';
import { distributionGoal } from './support/distribution-goal.js';

export const cpuUsageDistributionGoal = distributionGoal('CpuUsageDistributionGoal', Resource.CPU, 'cpu');

// DiskUsageDistributionGoal: Keeps each broker's disk utilization within disk.balance.threshold (1.10) of the mean. Soft.
import { Resource } from '../src/model/index.js';
import { distributionGoal } from './support/distribution-goal.js';

export const diskUsageDistributionGoal = distributionGoal('DiskUsageDistributionGoal', Resource.DISK, 'disk');

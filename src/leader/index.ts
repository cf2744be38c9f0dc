// Leader election: hot standby instances behind a Redis lock; only the holder runs the application.
export { LeaderElection, type AcquireOptions } from './leader-election.js';
export { LeadershipLostError, LeadershipWaitAbortedError } from './leader.errors.js';
export { LeaseKeeper, leaseTimings, retryDelayAfterFailureMs, waitForLeadership, type LeaseTimings } from './lease.js';
export { StandbyServer, standbyResponse, type StandbyResponse } from './standby-server.js';

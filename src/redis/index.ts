// Redis connection shared by the stages that persist state.
export { LeaderLock, leaderLockKey, newInstanceId, type LeadershipLock } from './leader-lock.js';
export { RedisConnection, redactUrl } from './redis-connection.service.js';
export { RedisUnavailableError } from './redis.errors.js';
export { RedisModule } from './redis.module.js';

// Redis connection shared by the stages that persist state.
export { RedisConnection, redactUrl } from './redis-connection.service.js';
export { RedisUnavailableError } from './redis.errors.js';
export { RedisModule } from './redis.module.js';

// REST API compatible with Cruise Control's.
export { ApiModule } from './api.module.js';
export { InvalidParameterError } from './api.errors.js';

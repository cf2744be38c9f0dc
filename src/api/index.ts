// REST API compatible with Cruise Control's.
export { ApiModule } from './api.module.js';
export { InvalidParameterError } from './api.errors.js';
// What the entry points (src/main.ts, src/app.ts) set up around the Nest application: TLS, CORS,
// secrets kept out of logs, and the requests answered before Nest sees them.
export { answerUnparsedRequests, refuseUnservedMethods } from './http-refusals.js';
export { corsOptions, httpsOptions, type HttpsOptions } from './security/http-server.js';
export { configSecrets, SecretScrubbingLogger, startupLogRecord } from './security/redaction.js';

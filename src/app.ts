// Creates and starts the HTTP application from a validated configuration (used by main.ts and tests):
// HTTPS and CORS as `security` says, an HTTP answer to every request (http-refusals.ts), and a
// logger that scrubs secrets from every line.
import 'reflect-metadata';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  answerUnparsedRequests,
  configSecrets,
  corsOptions,
  httpsOptions,
  refuseUnservedMethods,
  SecretScrubbingLogger,
  startupLogRecord,
} from './api/index.js';
import { AppModule } from './app.module.js';
import { JsonLogger } from './common/index.js';
import { BallastConfig, type BallastConfigValues } from './config/index.js';

export interface RunningApp {
  app: INestApplication;
  /** Base URL the API listens on, e.g. http://127.0.0.1:9090 (https:// with security.tls). */
  url: string;
  /** The application's logger (secrets scrubbed). */
  logger: LoggerService;
}

/** @throws ConfigError when a file the configuration names (TLS, credentials, JWT key) is unusable. */
export async function startApp(
  values: BallastConfigValues,
  jsonLogger = new JsonLogger(values.logging.level),
): Promise<RunningApp> {
  const config = new BallastConfig(values);
  const logger = new SecretScrubbingLogger(jsonLogger, configSecrets(values));
  // Read before Nest starts: an unreadable certificate stops start-up naming the file.
  const https = httpsOptions(config.security.tls);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger,
    bufferLogs: true,
    // A provider that fails to construct (an unusable capacity file) must reject, not abort the process.
    abortOnError: false,
    ...(https ? { httpsOptions: https } : {}),
  });
  app.useLogger(logger);
  app.disable('x-powered-by');
  // Before CORS and the routes: a method no route serves gets 405, not a 404 or a CORS answer.
  app.use(refuseUnservedMethods);
  answerUnparsedRequests(app.getHttpServer());
  const cors = corsOptions(config.security.cors);
  if (cors) app.enableCors(cors);
  await app.listen(config.server.port, config.server.host);
  const address = app.getHttpServer().address() as { port: number };
  const host = config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host;
  const url = `${https ? 'https' : 'http'}://${host}:${address.port}`;
  logger.log(startupLogRecord(values, address.port), 'Main');
  return { app, url, logger };
}

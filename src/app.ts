// Creates and starts the HTTP application from a validated configuration (used by main.ts and tests).
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { JsonLogger } from './common/index.js';
import { BallastConfig, type BallastConfigValues } from './config/index.js';

export interface RunningApp {
  app: INestApplication;
  /** Base URL the API listens on, e.g. http://127.0.0.1:9090. */
  url: string;
  logger: JsonLogger;
}

export async function startApp(
  values: BallastConfigValues,
  logger = new JsonLogger(values.logging.level),
): Promise<RunningApp> {
  const config = new BallastConfig(values);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger,
    bufferLogs: true,
    // A provider that fails to construct (an unusable capacity file) must reject, not abort the process.
    abortOnError: false,
  });
  app.useLogger(logger);
  app.disable('x-powered-by');
  await app.listen(config.server.port, config.server.host);
  const address = app.getHttpServer().address() as { port: number };
  const host = config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host;
  logger.log({ msg: 'Ballast listening', port: address.port, kafka: config.kafka.bootstrapServers.join(',') }, 'Main');
  return { app, url: `http://${host}:${address.port}`, logger };
}

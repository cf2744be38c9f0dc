// Entry point: load and validate the configuration, start the API, shut down gracefully on SIGTERM/SIGINT.
import { startApp } from './app.js';
import { JsonLogger } from './common/index.js';
import { ConfigError, loadConfig, type BallastConfigValues } from './config/index.js';
import { CapacityFileError, loadCapacityFile } from './monitor/index.js';

// Files the configuration names are read before anything connects, so a bad one stops start-up
// the same way a bad setting does.
function checkConfiguredFiles(config: BallastConfigValues): void {
  const file = config.monitor.capacity.file;
  if (file === undefined) return;
  try {
    loadCapacityFile(file);
  } catch (error) {
    if (!(error instanceof CapacityFileError)) throw error;
    process.stderr.write(`${error.message}\n`);
    new JsonLogger('error').error({ msg: 'invalid capacity file', file, problems: error.problems }, 'Config');
    process.exit(78); // EX_CONFIG
  }
}

/** Exits 78 on a configuration problem (human-readable on stderr, one JSON line for log pipelines); rethrows anything else. */
function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    new JsonLogger('error').error({ msg: 'invalid configuration', problems: error.problems }, 'Config');
    process.exit(78); // EX_CONFIG
  }
  throw error;
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    exitOnConfigError(error);
  }
  checkConfiguredFiles(config);
  let started;
  try {
    started = await startApp(config);
  } catch (error) {
    // Goal names and goal files are checked while the application is assembled.
    exitOnConfigError(error);
  }
  const { app, logger } = started;
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'shutting down', signal }, 'Main');
    const force = setTimeout(() => {
      logger.error({ msg: 'graceful shutdown timed out; exiting', timeoutMs: config.server.shutdownTimeoutMs }, 'Main');
      process.exit(1);
    }, config.server.shutdownTimeoutMs);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(error, 'Main');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  new JsonLogger('error').error(error instanceof Error ? error : String(error), 'Main');
  process.exit(1);
});

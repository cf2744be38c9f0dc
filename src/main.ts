// Entry point: load and validate the configuration, wait for the leader lock when
// leaderElection is on, start the API, shut down gracefully on SIGTERM/SIGINT.
import type { INestApplication } from '@nestjs/common';
import { configSecrets, httpsOptions, SecretScrubbingLogger, type HttpsOptions } from './api/index.js';
import { startApp } from './app.js';
import { JsonLogger } from './common/index.js';
import { ConfigError, loadConfig, type BallastConfigValues } from './config/index.js';
import { LeaderElection, LeadershipWaitAbortedError } from './leader/index.js';
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

// Leadership lost: a temporary failure; started again, the process comes back as a standby.
const EX_TEMPFAIL = 75;

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
  const jsonLogger = new JsonLogger(config.logging.level);
  const logger = new SecretScrubbingLogger(jsonLogger, configSecrets(config));
  const election = config.leaderElection.enabled ? LeaderElection.create(config, logger) : undefined;

  let app: INestApplication | undefined = undefined;
  let stopping = false;
  const standingBy = new AbortController();
  const closeAndExit = (running: INestApplication): void => {
    running.close().then(
      // The lock is given back only once the application has stopped acting.
      async () => {
        await election?.resign();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(error, 'Main');
        process.exit(1);
      },
    );
  };
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'shutting down', signal }, 'Main');
    const force = setTimeout(() => {
      logger.error({ msg: 'graceful shutdown timed out; exiting', timeoutMs: config.server.shutdownTimeoutMs }, 'Main');
      process.exit(1);
    }, config.server.shutdownTimeoutMs);
    force.unref();
    standingBy.abort();
    // Still starting: the start-up path sees `stopping` and closes what it has.
    if (app) closeAndExit(app);
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  if (election) {
    try {
      await election.acquire({
        signal: standingBy.signal,
        // Probes switch to HTTPS with security.tls, so the standby answers over HTTPS too.
        https: standbyHttps(config),
        onLost: (error) => {
          // Fencing by exit: another instance may own the lock by now, and every bit of the
          // executor's state is in Redis already; the orchestrator restarts us as a standby.
          logger.error({ msg: 'lost the leader lock; exiting', error: error.message, code: error.code }, 'Main');
          process.exit(EX_TEMPFAIL);
        },
      });
    } catch (error) {
      await election.resign();
      if (error instanceof LeadershipWaitAbortedError) process.exit(0);
      throw error;
    }
  }
  let started;
  try {
    started = await startApp(config, jsonLogger);
  } catch (error) {
    await election?.resign();
    // Goal names and goal files are checked while the application is assembled.
    exitOnConfigError(error);
  }
  app = started.app;
  if (stopping) closeAndExit(app);
}

/** The standby server's certificate and key; a bad file stops start-up like a bad setting. */
function standbyHttps(config: BallastConfigValues): HttpsOptions | undefined {
  try {
    return httpsOptions(config.security.tls);
  } catch (error) {
    exitOnConfigError(error);
  }
}

main().catch((error: unknown) => {
  new JsonLogger('error').error(error instanceof Error ? error : String(error), 'Main');
  process.exit(1);
});

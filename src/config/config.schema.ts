// The one validated configuration schema, nested by pipeline stage. Every key has a documented
// default (docs/configuration.md lists them); environment variable names are derived from the
// key path: server.port ↔ BALLAST_SERVER_PORT, kafka.bootstrapServers ↔ BALLAST_KAFKA_BOOTSTRAP_SERVERS.
import { z } from 'zod';
import { analyzerSchema } from './analyzer.schema.js';
import { detectorSchema } from './detector.schema.js';
import { executorSchema } from './executor.schema.js';
import { leaderElectionSchema } from './leader-election.schema.js';
import { monitorSchema } from './monitor.schema.js';
import { positiveMs, readableFile } from './schema-parts.js';
import { securitySchema } from './security.schema.js';

const hostPort = z
  .string()
  .regex(/^[^\s:,]+:\d{1,5}$/, 'expected host:port')
  .refine((value) => {
    const port = Number(value.slice(value.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65535;
  }, 'port must be between 1 and 65535');

const kafkaSchema = z
  .object({
    /** Brokers to bootstrap from (host:port, at least one). Required. */
    bootstrapServers: z.array(hostPort).min(1),
    /** Client id Ballast uses towards Kafka (visible in broker request logs and quotas). @defaultValue ballast */
    clientId: z.string().min(1).default('ballast'),
    /** TCP connect timeout per broker. @defaultValue 5000 */
    connectionTimeoutMs: positiveMs.default(5_000),
    /** Timeout of one Kafka request. @defaultValue 30000 */
    requestTimeoutMs: positiveMs.default(30_000),
    /**
     * Longest one broker may take over its own part of a cluster snapshot (its log dirs, its
     * throttle configs), retries included, before the snapshot goes on without that broker's data
     * and reports it missing; also how long one broker is given for the metadata before the next is
     * asked. Raise it for brokers with very many partitions, whose DescribeLogDirs answer is slow. @defaultValue 5000
     */
    brokerTimeoutMs: positiveMs.default(5_000),
    tls: z
      .object({
        /** Connect with TLS. @defaultValue false */
        enabled: z.boolean().default(false),
        /** PEM file of the CA that signed the brokers' certificates; the system CAs when unset. */
        caFile: readableFile.optional(),
        /** PEM client certificate, for mutual TLS. */
        certFile: readableFile.optional(),
        /** PEM private key of the client certificate. */
        keyFile: readableFile.optional(),
        /** Verify the brokers' certificates. Turn off only for tests. @defaultValue true */
        rejectUnauthorized: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    sasl: z
      .object({
        /** SASL mechanism, or none. @defaultValue none */
        mechanism: z.enum(['none', 'plain', 'scram-sha-256', 'scram-sha-512']).default('none'),
        username: z.string().default(''),
        password: z.string().default(''),
      })
      .strict()
      .refine((s) => s.mechanism === 'none' || (s.username !== '' && s.password !== ''), {
        message: 'username and password are required when a SASL mechanism is set',
        path: ['username'],
      })
      .prefault({}),
  })
  .strict();

export const configSchema = z
  .object({
    server: z
      .object({
        /** Interface the HTTP API binds to. @defaultValue 0.0.0.0 */
        host: z.string().min(1).default('0.0.0.0'),
        /** HTTP port; Cruise Control's default; 0 picks a free port. @defaultValue 9090 */
        port: z.number().int().min(0).max(65535).default(9090),
        /** Longest a graceful shutdown may take before the process exits anyway. @defaultValue 30000 */
        shutdownTimeoutMs: positiveMs.default(30_000),
      })
      .strict()
      .prefault({}),
    // An absent section is validated as empty, so the error names kafka.bootstrapServers itself.
    kafka: kafkaSchema.prefault({} as z.input<typeof kafkaSchema>),
    redis: z
      .object({
        /** Redis holding Ballast's queues and state. `REDIS_URL` is read too. @defaultValue redis://127.0.0.1:6379 */
        url: z
          .string()
          .regex(/^rediss?:\/\/\S+$/, 'expected a redis:// or rediss:// URL')
          .default('redis://127.0.0.1:6379'),
        /** Prefix of every Redis key Ballast writes, so several instances can share one Redis. @defaultValue ballast */
        keyPrefix: z
          .string()
          .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')
          .default('ballast'),
      })
      .strict()
      .prefault({}),
    monitor: monitorSchema,
    analyzer: analyzerSchema,
    executor: executorSchema,
    detector: detectorSchema,
    api: z
      .object({
        /** How long /ready waits for Kafka and Redis to answer. @defaultValue 5000 */
        readinessTimeoutMs: positiveMs.default(5_000),
        /**
         * How long an async request (proposals, rebalance, add_broker, …) waits for its answer before
         * replying 202 with its progress and a User-Task-ID to poll with (Cruise Control's
         * webserver.request.maxBlockTimeMs). @defaultValue 10000
         */
        userTaskBlockMs: positiveMs.default(10_000),
        /** Most async requests running at once; one more is refused with 429 (Cruise Control's max.active.user.tasks). @defaultValue 5 */
        maxActiveUserTasks: z.number().int().min(1).max(1_000).default(5),
        /** How long a finished user task and its answer stay pollable (Cruise Control's completed.user.task.retention.time.ms). @defaultValue 21600000 */
        completedUserTaskRetentionMs: positiveMs.default(21_600_000),
        /** Most finished user tasks kept; the oldest go first, since each holds its whole answer. @defaultValue 25 */
        maxCompletedUserTasks: z.number().int().min(1).max(10_000).default(25),
        twoStepVerification: z
          .object({
            /**
             * Hold every POST request (but `review` itself) for review instead of acting: it runs only
             * once approved with POST /review and submitted again with its review_id (Cruise
             * Control's two.step.verification.enabled). Reviews are kept in memory. @defaultValue false
             */
            enabled: z.boolean().default(false),
            /** How long a review stays on the board, whatever its status (Cruise Control's two.step.purgatory.retention.time.ms). @defaultValue 1209600000 */
            reviewRetentionMs: positiveMs.default(1_209_600_000),
            /** Most reviews kept; the oldest go first (Cruise Control's two.step.purgatory.max.requests). @defaultValue 25 */
            maxReviews: z.number().int().min(1).max(10_000).default(25),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    security: securitySchema,
    leaderElection: leaderElectionSchema,
    logging: z
      .object({
        /** Minimum level written to the JSON log. @defaultValue info */
        level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** The validated configuration, with every default filled in. */
export type BallastConfigValues = z.output<typeof configSchema>;
/** What a YAML file or a test may provide: any subset, before defaults. */
export type BallastConfigInput = z.input<typeof configSchema>;

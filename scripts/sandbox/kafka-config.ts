import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

// Files the sandbox writes for each Kafka node: server.properties defaults, logging, JMX exporter rules.

// Sandbox-only broker settings: small internal topics, fast failure detection, fast group joins.
export function brokerDefaults(brokerCount: number): Record<string, string> {
  const rf = String(Math.min(3, brokerCount));
  return {
    'offsets.topic.replication.factor': rf,
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.replication.factor': rf,
    'transaction.state.log.min.isr': '1',
    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': 'false',
    'num.partitions': '1',
    'log.segment.bytes': String(16 * 1024 * 1024),
    // A dead disk is noticed when Kafka next writes a checkpoint to it.
    'replica.high.watermark.checkpoint.interval.ms': '1000',
    'log.flush.offset.checkpoint.interval.ms': '5000',
    'log.flush.start.offset.checkpoint.interval.ms': '5000',
  };
}

export function properties(entries: Record<string, string>): string {
  return `${Object.entries(entries)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
}

export const LOG4J1_CONFIG = `log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.org.apache.kafka.raft=WARN
`;

export const LOG4J2_CONFIG = `status = warn
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.raft.name = org.apache.kafka.raft
logger.raft.level = WARN
`;

// Export what Ballast's monitor reads; the exporter's default naming gives series such as
// kafka_log_Log_Value{name="Size",topic=...,partition=...}.
export const JMX_EXPORTER_CONFIG = `includeObjectNames:
  - "kafka.server:*"
  - "kafka.log:*"
  - "kafka.network:type=RequestMetrics,*"
  - "kafka.controller:*"
  - "java.lang:type=OperatingSystem"
`;

/** Heap and GC flags for a small sandbox node; one OOM ends the process rather than limping on. */
export function brokerJvmFlags(heapMb: number): string[] {
  return [
    `-Xms${Math.min(128, heapMb)}m`,
    `-Xmx${heapMb}m`,
    // Five JVMs start at once on a small machine: C1 only and the serial collector cut start-up
    // CPU (C2 and parallel GC threads compete for the cores); sandbox loads never need C2.
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
  ];
}

/** Points both logging generations (log4j 1 for Kafka 3.x, log4j2 for 4.x) at the files in `dir`. */
export function loggingFlags(dir: string): string[] {
  return [
    `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`,
    `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`,
  ];
}

/** 16 random bytes in base64url, as Kafka's Uuid; never starting with '-', which the CLI would read as a flag. */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

// Fetches and caches the Kafka broker jars and the Prometheus JMX exporter agent from Maven Central.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The Kafka release the sandbox runs unless `KAFKA_VERSION` says otherwise (latest 3.9.x). */
export const DEFAULT_KAFKA_VERSION = '3.9.2';
/** The 4.x release the suite also starts, to keep both generations working. */
export const DEFAULT_KAFKA_4_VERSION = '4.3.1';
/** Newest jmx_prometheus_javaagent published on Maven Central. */
export const JMX_EXPORTER_VERSION = '1.0.1';

// Logging bindings pinned per Kafka generation: 3.x logs through reload4j (log4j 1 API),
// 4.x through log4j2. Declared as direct dependencies so they win Maven's version mediation.
const LOG4J2_VERSION = '2.25.4';

export interface KafkaArtifacts {
  kafkaVersion: string;
  /** Folder holding every jar of the broker's classpath. */
  libsDir: string;
  jmxAgentJar: string;
  /** Major version; decides the logging configuration the JVM is given. */
  kafkaMajor: number;
}

/** Where downloaded jars live: `.cache/` at the project root (git-ignored); `BALLAST_CACHE_DIR` moves it. */
export function cacheRoot(): string {
  if (process.env.BALLAST_CACHE_DIR) return resolve(process.env.BALLAST_CACHE_DIR);
  // The project root is the nearest folder with a package.json, whether this file runs from
  // scripts/ (tsx, vitest) or from a compiled copy under dist/.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, '.cache');
}

export function kafkaVersionFromEnv(): string {
  return process.env.KAFKA_VERSION?.trim() || DEFAULT_KAFKA_VERSION;
}

function dependencyXml(groupId: string, artifactId: string, version: string): string {
  return `<dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>`;
}

function pomFor(kafkaVersion: string, major: number): string {
  const deps = [dependencyXml('org.apache.kafka', 'kafka_2.13', kafkaVersion)];
  if (major >= 4) {
    deps.push(
      dependencyXml('org.apache.logging.log4j', 'log4j-api', LOG4J2_VERSION),
      dependencyXml('org.apache.logging.log4j', 'log4j-core', LOG4J2_VERSION),
      dependencyXml('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J2_VERSION),
    );
  } else {
    deps.push(dependencyXml('org.slf4j', 'slf4j-reload4j', '1.7.36'));
  }
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>ballast.sandbox</groupId><artifactId>kafka-${kafkaVersion}</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>${deps.join('\n    ')}</dependencies>
</project>
`;
}

async function mavenCopy(workDir: string, args: string[], what: string): Promise<void> {
  try {
    await execFileAsync('mvn', ['-q', '-B', ...args], { cwd: workDir, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const err = error as { stdout?: string; stderr?: string; code?: string | number };
    if (err.code === 'ENOENT') {
      throw new Error(`Cannot fetch ${what}: 'mvn' is not on PATH (Maven with access to Maven Central is required)`, {
        cause: error,
      });
    }
    const output = `${err.stdout ?? ''}${err.stderr ?? ''}`
      .split('\n')
      .filter((line) => line.includes('ERROR'))
      .slice(0, 3)
      .join('\n');
    throw new Error(`Cannot fetch ${what} from Maven Central:\n${output}`, { cause: error });
  }
}

/**
 * Returns the jars for `kafkaVersion`, fetching them with Maven on first use. A finished
 * download is renamed into place, so an interrupted one is never mistaken for a cache hit.
 */
export async function ensureKafkaArtifacts(kafkaVersion = kafkaVersionFromEnv()): Promise<KafkaArtifacts> {
  if (!/^\d+\.\d+\.\d+$/.test(kafkaVersion)) {
    throw new Error(`KAFKA_VERSION must look like 3.9.2, got '${kafkaVersion}'`);
  }
  const major = Number(kafkaVersion.split('.')[0]);
  const root = cacheRoot();
  const libsDir = join(root, 'kafka', kafkaVersion, 'libs');
  if (!existsSync(libsDir)) {
    const workDir = join(root, 'kafka', kafkaVersion, `download-${process.pid}`);
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(workDir, { recursive: true });
    writeFileSync(join(workDir, 'pom.xml'), pomFor(kafkaVersion, major));
    await mavenCopy(workDir, ['dependency:copy-dependencies', '-DoutputDirectory=libs'], `Kafka ${kafkaVersion}`);
    if (!existsSync(libsDir)) renameSync(join(workDir, 'libs'), libsDir);
    rmSync(workDir, { recursive: true, force: true });
  }
  return { kafkaVersion, libsDir, jmxAgentJar: await ensureJmxAgent(), kafkaMajor: major };
}

async function ensureJmxAgent(): Promise<string> {
  const dir = join(cacheRoot(), 'jmx-exporter', JMX_EXPORTER_VERSION);
  const jar = join(dir, `jmx_prometheus_javaagent-${JMX_EXPORTER_VERSION}.jar`);
  if (existsSync(jar)) return jar;
  const workDir = join(dir, `download-${process.pid}`);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  writeFileSync(
    join(workDir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>ballast.sandbox</groupId><artifactId>jmx-agent</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>${dependencyXml('io.prometheus.jmx', 'jmx_prometheus_javaagent', JMX_EXPORTER_VERSION)}</dependencies>
</project>
`,
  );
  await mavenCopy(
    workDir,
    ['dependency:copy-dependencies', '-DoutputDirectory=libs', '-DexcludeTransitive=true'],
    `jmx_prometheus_javaagent ${JMX_EXPORTER_VERSION}`,
  );
  const fetched = readdirSync(join(workDir, 'libs')).find((name) => name.startsWith('jmx_prometheus_javaagent'));
  if (!fetched) throw new Error('Maven finished but jmx_prometheus_javaagent jar is missing');
  if (!existsSync(jar)) renameSync(join(workDir, 'libs', fetched), jar);
  rmSync(workDir, { recursive: true, force: true });
  return jar;
}

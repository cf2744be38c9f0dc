// Entry point of the `ballast` command line (bin/ballast.js loads it, built or through tsx).
import { runCli } from './cli.js';

process.once('SIGINT', () => {
  process.stderr.write("\nInterrupted. What Ballast already started goes on; 'ballast stop' stops an execution.\n");
  process.exit(130);
});

process.exitCode = await runCli(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr });

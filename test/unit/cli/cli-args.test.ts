// The CLI's command line: each command's request, the global options, and clear usage errors.
import { describe, expect, it } from 'vitest';
import { authorizationHeader, parseCli, type CliPlan } from '../../../src/cli/cli-args.js';
import { CliUsageError } from '../../../src/cli/cli.errors.js';

function plan(argv: string[], env: Record<string, string> = {}): CliPlan {
  const invocation = parseCli(argv, env);
  if (invocation.kind !== 'run') throw new Error('expected a command');
  return invocation.plan;
}

function usageError(argv: string[], env: Record<string, string> = {}): string {
  try {
    parseCli(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(CliUsageError);
    return (error as Error).message;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('parseCli', () => {
  it('sends each read command as a GET with no parameters of its own', () => {
    expect(plan(['state']).request).toEqual({ method: 'GET', endpoint: 'state', params: {} });
    expect(plan(['load']).request).toEqual({ method: 'GET', endpoint: 'load', params: {} });
    expect(plan(['proposals', '--goals', 'RackAwareGoal']).request).toEqual({
      method: 'GET',
      endpoint: 'proposals',
      params: { goals: 'RackAwareGoal' },
    });
    expect(plan(['state', '--substates', 'executor']).request.params).toEqual({ substates: 'executor' });
  });

  it('makes rebalance a dry run unless --execute', () => {
    const dry = plan(['rebalance']);
    expect(dry.request).toEqual({ method: 'POST', endpoint: 'rebalance', params: { dryrun: 'true' } });
    expect(dry.execute).toBe(false);
    const real = plan(['rebalance', '--execute', '--replication-throttle', '10485760', '--reason', 'skew']);
    expect(real.request.params).toEqual({ dryrun: 'false', replication_throttle: '10485760', reason: 'skew' });
    expect(real).toMatchObject({ execute: true, wait: true });
    expect(plan(['rebalance', '--execute', '--no-wait']).wait).toBe(false);
  });

  it('takes broker ids comma- or space-separated, without repeats', () => {
    expect(plan(['remove-broker', '3,4', '5']).request).toEqual({
      method: 'POST',
      endpoint: 'remove_broker',
      params: { brokerid: '3,4,5', dryrun: 'true' },
    });
    expect(plan(['add-broker', '7', '7']).request.params.brokerid).toBe('7');
    expect(plan(['demote-broker', '1']).request.endpoint).toBe('demote_broker');
    expect(plan(['stop']).request).toEqual({ method: 'POST', endpoint: 'stop_proposal_execution', params: {} });
  });

  it('submits an approved review with --review-id, on the commands that can be held for review', () => {
    expect(plan(['rebalance', '--execute', '--review-id', '0']).request.params).toEqual({
      dryrun: 'false',
      review_id: '0',
    });
    expect(plan(['stop', '--review-id', '3']).request.params).toEqual({ review_id: '3' });
    expect(usageError(['state', '--review-id', '1'])).toMatch(/--review-id does not apply to 'state'/);
    expect(usageError(['rebalance', '--review-id', 'x'])).toMatch(/--review-id must be a whole number, got 'x'/);
  });

  it('passes other Cruise Control parameters through --param, lower-cased names', () => {
    expect(
      plan(['rebalance', '--param', 'Rebalance_Disk=true', '--param', 'excluded_topics=a.*']).request.params,
    ).toEqual({
      dryrun: 'true',
      rebalance_disk: 'true',
      excluded_topics: 'a.*',
    });
    expect(usageError(['rebalance', '--param', 'dryrun=false'])).toMatch(/dryrun: set by the command/);
    expect(usageError(['state', '--param', 'json=false'])).toMatch(/json/);
    expect(usageError(['state', '--param', 'novalue'])).toMatch(/name=value/);
  });

  it('reads the URL and credentials from options, then the environment', () => {
    expect(plan(['state']).url).toBe('http://127.0.0.1:9090');
    expect(plan(['state'], { BALLAST_URL: 'http://ballast:8080/' }).url).toBe('http://ballast:8080');
    expect(plan(['state', '--url', 'https://b.example/api'], { BALLAST_URL: 'http://x' }).url).toBe(
      'https://b.example/api',
    );
    expect(plan(['state']).auth).toEqual({ kind: 'none' });
    expect(plan(['state', '--user', 'ops', '--password', 'pw']).auth).toEqual({
      kind: 'basic',
      user: 'ops',
      password: 'pw',
    });
    expect(plan(['state', '--user', 'ops'], { BALLAST_PASSWORD: 'env' }).auth).toEqual({
      kind: 'basic',
      user: 'ops',
      password: 'env',
    });
    expect(plan(['state'], { BALLAST_TOKEN: 't' }).auth).toEqual({ kind: 'bearer', token: 't' });
    expect(plan(['state', '--user', 'ops', '--password', 'pw'], { BALLAST_TOKEN: 't' }).auth.kind).toBe('basic');
  });

  it('builds Basic and Bearer headers', () => {
    expect(authorizationHeader({ kind: 'basic', user: 'ops', password: 'p:w' })).toBe(
      `Basic ${Buffer.from('ops:p:w').toString('base64')}`,
    );
    expect(authorizationHeader({ kind: 'bearer', token: 'abc' })).toBe('Bearer abc');
    expect(authorizationHeader({ kind: 'none' })).toBeUndefined();
  });

  it('answers help for no command, help or --help', () => {
    expect(parseCli([], {})).toEqual({ kind: 'help' });
    expect(parseCli(['help'], {})).toEqual({ kind: 'help' });
    expect(parseCli(['state', '-h'], {})).toEqual({ kind: 'help' });
  });

  it('refuses bad command lines with a message naming the problem', () => {
    expect(usageError(['rebalnce'])).toMatch(/Unknown command 'rebalnce'.*rebalance/);
    expect(usageError(['state', '--bogus'])).toMatch(/bogus/);
    expect(usageError(['remove-broker'])).toMatch(/needs broker ids/);
    expect(usageError(['remove-broker', 'three'])).toMatch(/'three' is not a broker id/);
    expect(usageError(['remove-broker', '-1'])).toMatch(/-1|broker id/);
    expect(usageError(['state', '--execute'])).toMatch(/--execute does not apply to 'state'/);
    expect(usageError(['load', 'extra'])).toMatch(/takes no arguments/);
    expect(usageError(['rebalance', '--no-wait'])).toMatch(/--no-wait goes with --execute/);
    expect(usageError(['rebalance', '--replication-throttle', '0'])).toMatch(/positive whole number, got '0'/);
    expect(usageError(['state', '--url', 'localhost:9090'])).toMatch(/http/);
    expect(usageError(['state', '--url', 'not a url'])).toMatch(/not a URL/);
    expect(usageError(['state', '--user', 'ops'])).toMatch(/--password or \$BALLAST_PASSWORD/);
    expect(usageError(['state', '--user', 'ops', '--password', 'x', '--token', 't'])).toMatch(/not both/);
    expect(usageError(['state', '--poll-interval-ms', '1.5'])).toMatch(/poll-interval-ms/);
  });
});

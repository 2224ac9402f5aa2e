/**
 * The built command line as a child process: `serve` refuses anonymous mode on a public address
 * before it binds, and `token` mints tokens the relay accepts. Every child gets a clean
 * environment, so settings from the developer's shell cannot turn the refusal into a listen.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifySubscriberToken } from '../../src/access/tokens.js';
import { ensureCliBuilt, killRunningChildren, runCli, SECRET } from './support.js';

const BUILD_TIMEOUT_MS = 120_000;

beforeAll(async () => {
  await ensureCliBuilt();
}, BUILD_TIMEOUT_MS);

afterEach(() => {
  killRunningChildren();
});

describe('serve refusal', () => {
  it('exits 2 on a public host', async () => {
    // The refusal comes from the configuration check, which runs before the server binds.
    const result = await runCli(['serve', '--host', '0.0.0.0', '--port', '0', '--lang', 'en'], {});

    expect(result.signal).toBeNull();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('RELAY_JWT_SECRET');
    expect(result.stderr).toContain('--allow-anonymous');
    expect(result.stdout).not.toContain('http://');
  });
});

describe('token command', () => {
  const env = { RELAY_JWT_SECRET: SECRET };

  it('mints a token the relay accepts', async () => {
    const before = Date.now();
    const result = await runCli(
      ['token', '--owner', '1601', '--agency', '3,4', '--ttl', '2h'],
      env,
    );

    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const grant = await verifySubscriberToken(token, SECRET);
    expect(grant.scope.admin).toBe(false);
    expect([...grant.scope.owners]).toEqual([1601]);
    expect([...grant.scope.agencies]).toEqual([3, 4]);
    // `exp` counts whole seconds, so allow a second either side of the requested lifetime.
    expect(grant.expiresAtMs).toBeGreaterThanOrEqual(before + 2 * 3_600_000 - 1000);
    expect(grant.expiresAtMs).toBeLessThanOrEqual(Date.now() + 2 * 3_600_000 + 1000);
  });

  it('mints an admin token', async () => {
    const result = await runCli(['token', '--admin', '--sub', 'ops'], env);

    const grant = await verifySubscriberToken(result.stdout.trim(), SECRET);
    expect(grant.scope.admin).toBe(true);
    expect(grant.subject).toBe('ops');
  });

  it('prints only the token on stdout', async () => {
    const result = await runCli(['token', '--agency', '3'], env);

    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toContain(SECRET);
    expect(result.stdout).not.toContain(SECRET);
  });

  it('exits 2 without a secret', async () => {
    const result = await runCli(['token', '--owner', '1601', '--lang', 'en'], {});

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('RELAY_JWT_SECRET');
    expect(result.stdout).toBe('');
  });

  it('exits 2 on a short secret', async () => {
    const result = await runCli(['token', '--owner', '1601'], { RELAY_JWT_SECRET: 'short' });

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('exits 2 without a scope', async () => {
    const result = await runCli(['token', '--lang', 'en'], env);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--owner');
    expect(result.stdout).toBe('');
  });

  it('exits 2 on an invalid ttl', async () => {
    const result = await runCli(['token', '--owner', '1601', '--ttl', 'abc', '--lang', 'en'], env);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--ttl');
    expect(result.stdout).toBe('');
  });

  it('exits 2 on a non-integer owner', async () => {
    const result = await runCli(['token', '--owner', 'alice'], env);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});

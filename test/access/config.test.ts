/**
 * Start-up checks of the access settings: anonymous mode off loopback, the secret's length, and
 * the allow-list and origin list formats. These call resolveConfig only; nothing listens.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config.js';

/** Runs `resolve` and returns the ConfigError it throws, or fails the test when none is thrown. */
function configErrorOf(resolve: () => unknown): ConfigError {
  try {
    resolve();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

const LONG_SECRET = 's'.repeat(32);

describe('anonymous mode check', () => {
  it('rejects a public host without secret', () => {
    const error = configErrorOf(() => resolveConfig({}, { host: '0.0.0.0' }));

    expect(error.message).toContain('RELAY_JWT_SECRET');
    expect(error.message).toContain('--allow-anonymous');
  });

  it('rejects a public IPv6 host', () => {
    const error = configErrorOf(() => resolveConfig({}, { host: '::' }));

    expect(error.message).toContain('RELAY_JWT_SECRET');
  });

  it('accepts a public host with secret', () => {
    const config = resolveConfig({}, { host: '0.0.0.0', jwtSecret: LONG_SECRET });

    expect(config.jwtSecret).toBe(LONG_SECRET);
  });

  it('accepts a public host with allowAnonymous', () => {
    const config = resolveConfig({}, { host: '0.0.0.0', allowAnonymous: true });

    expect(config.allowAnonymous).toBe(true);
  });

  it('reads both settings from the environment', () => {
    const withSecret = resolveConfig({ RELAY_HOST: '0.0.0.0', RELAY_JWT_SECRET: LONG_SECRET });
    const anonymous = resolveConfig({ RELAY_HOST: '0.0.0.0', RELAY_ALLOW_ANONYMOUS: 'true' });

    expect(withSecret.jwtSecret).toBe(LONG_SECRET);
    expect(anonymous.allowAnonymous).toBe(true);
  });

  it('accepts loopback hosts without secret', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '::1']) {
      expect(resolveConfig({}, { host }).host).toBe(host);
    }
  });

  it('treats a blank secret as none', () => {
    const error = configErrorOf(() =>
      resolveConfig({ RELAY_JWT_SECRET: '   ' }, { host: '0.0.0.0' }),
    );

    expect(error.message).toContain('--allow-anonymous');
  });
});

describe('secret length check', () => {
  it('rejects a 31-character secret', () => {
    const error = configErrorOf(() => resolveConfig({}, { jwtSecret: 's'.repeat(31) }));

    expect(error.message).toContain('RELAY_JWT_SECRET');
    expect(error.message).toContain('32');
  });

  it('never quotes the short secret', () => {
    const secret = 'short-secret-Xy81';

    const error = configErrorOf(() => resolveConfig({ RELAY_JWT_SECRET: secret }));

    expect(error.message).not.toContain(secret);
  });
});

describe('access list checks', () => {
  it.each([
    '10.0.0.0/33',
    'nope',
    '10.0.0.0/-1',
    '10.0.0.0/',
    '2001:db8::/129',
    '10.0.0.0/8, 300.1.1.1',
    '10.0.0.0/8/16',
  ])('rejects ingestAllow %j', (value) => {
    const error = configErrorOf(() => resolveConfig({}, { ingestAllow: value }));

    expect(error.message).toContain('RELAY_INGEST_ALLOW');
  });

  it('names the invalid entry', () => {
    const error = configErrorOf(() => resolveConfig({ RELAY_INGEST_ALLOW: '10.0.0.0/8, nope' }));

    expect(error.message).toContain('"nope"');
  });

  it('accepts a mixed allow-list', () => {
    const value = '10.0.0.0/8, 2001:db8::/32, 203.0.113.7, ::1';

    expect(resolveConfig({}, { ingestAllow: value }).ingestAllow).toBe(value);
  });

  it.each([
    'dash.example.com',
    'https://dash.example.com/app',
    'https://dash.example.com?x=1',
    'localhost:5173',
  ])('rejects allowedOrigins %j', (value) => {
    const error = configErrorOf(() => resolveConfig({}, { allowedOrigins: value }));

    expect(error.message).toContain('RELAY_ALLOWED_ORIGINS');
  });

  it('accepts origins with ports', () => {
    const value = 'https://dash.example.com, http://localhost:5173';

    expect(resolveConfig({}, { allowedOrigins: value }).allowedOrigins).toBe(value);
  });

  it('rejects a zero upgrade rate', () => {
    const error = configErrorOf(() => resolveConfig({}, { upgradeRatePerSecond: 0 }));

    expect(error.message).toContain('RELAY_UPGRADE_RATE_PER_SECOND');
  });
});

import { describe, expect, test } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config.js';

describe('upstream settings', () => {
  test('reads url and timeout', () => {
    const config = resolveConfig({
      RELAY_UPSTREAM_URL: 'http://127.0.0.1:9000/dealer',
      RELAY_UPSTREAM_TIMEOUT_MS: '3s',
      RELAY_MAX_FRAMES_PER_TASK: '500',
      RELAY_MAX_PENDING_FRAMES: '200',
    });

    expect(config.upstreamUrl).toBe('http://127.0.0.1:9000/dealer');
    expect(config.upstreamTimeoutMs).toBe(3000);
    expect(config.maxFramesPerTask).toBe(500);
    expect(config.maxPendingFrames).toBe(200);
  });

  test('defaults forward nothing', () => {
    const config = resolveConfig({});

    expect(config.upstreamUrl).toBe('');
    expect(config.upstreamTimeoutMs).toBe(10_000);
    expect(config.maxFramesPerTask).toBe(10_000);
    expect(config.maxPendingFrames).toBe(10_000);
  });

  test.each([
    ['not a url', 'absolute http or https URL'],
    ['ftp://127.0.0.1/', 'scheme ftp:'],
    ['http://127.0.0.1:9000/?token=x', 'without query'],
    ['http://user:pw@127.0.0.1:9000/', 'user name or password'],
  ])('rejects upstream url %s', (value, expected) => {
    const read = () => resolveConfig({ RELAY_UPSTREAM_URL: value });

    expect(read).toThrow(ConfigError);
    expect(read).toThrow(expected);
    expect(read).toThrow('RELAY_UPSTREAM_URL');
  });

  test('rejects zero frame limit', () => {
    expect(() => resolveConfig({ RELAY_MAX_FRAMES_PER_TASK: '0' })).toThrow(
      'RELAY_MAX_FRAMES_PER_TASK',
    );
  });
});

/**
 * Token-bucket rate limits per key, driven with explicit times in milliseconds: no sleeping.
 */
import { describe, expect, it } from 'vitest';
import { MAX_RATE_LIMIT_KEYS, RateLimiter } from '../../src/access/rate-limit.js';

describe('RateLimiter', () => {
  it('allows a full burst at once', () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 3 });

    const waits = [1, 2, 3].map(() => limiter.take('a', 0));

    expect(waits).toEqual([0, 0, 0]);
  });

  it('refuses past the burst', () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 3 });
    for (let i = 0; i < 3; i++) limiter.take('a', 0);

    expect(limiter.take('a', 0)).toBe(1);
  });

  it('refills at the sustained rate', () => {
    const limiter = new RateLimiter({ ratePerSecond: 2, burst: 2 });
    limiter.take('a', 0);
    limiter.take('a', 0);

    expect(limiter.take('a', 499)).toBeGreaterThan(0);
    expect(limiter.take('a', 500)).toBe(0);
    expect(limiter.take('a', 500)).toBeGreaterThan(0);
  });

  it('never refills above the burst', () => {
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 2 });

    limiter.take('a', 0);
    const waits = [1, 2, 3].map(() => limiter.take('a', 60_000));

    expect(waits).toEqual([0, 0, 1]);
  });

  it('rounds the wait up to whole seconds', () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1 });
    limiter.take('a', 0);

    // Half a token has refilled; the rest takes 0.5 s, reported as 1.
    expect(limiter.take('a', 500)).toBe(1);
  });

  it('keeps keys apart', () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1 });
    limiter.take('a', 0);

    expect(limiter.take('b', 0)).toBe(0);
    expect(limiter.take('a', 0)).toBe(1);
  });

  it('ignores a clock that steps back', () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1 });
    limiter.take('a', 10_000);

    expect(limiter.take('a', 5_000)).toBe(1);
  });

  it('bounds the number of keys', () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1 });

    for (let i = 0; i <= MAX_RATE_LIMIT_KEYS; i++) limiter.take(`key-${i}`, 0);

    expect(limiter.keys).toBe(MAX_RATE_LIMIT_KEYS);
  });

  it('evicts the least recently seen key', () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1 });
    limiter.take('oldest', 0);

    for (let i = 0; i < MAX_RATE_LIMIT_KEYS; i++) limiter.take(`key-${i}`, 0);

    // Eviction drops the spent bucket, so the key starts again with a full burst.
    expect(limiter.take('oldest', 0)).toBe(0);
  });

  it('keeps a recently seen key', () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1 });
    limiter.take('busy', 0);
    for (let i = 0; i < MAX_RATE_LIMIT_KEYS - 1; i++) limiter.take(`key-${i}`, 0);

    limiter.take('busy', 0);
    limiter.take('one-more', 0);

    expect(limiter.take('busy', 0)).toBe(1);
    expect(limiter.take('key-0', 0)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { reconnectDelayMs, retryCeilingMs } from '../../src/client/backoff.js';
import { createRandom } from '../../src/simulate/random.js';

const bounds = { minMs: 500, maxMs: 20_000 };

describe('reconnect backoff', () => {
  it('grows exponentially up to max', () => {
    const highest = () => 0.999_999;
    const delays = Array.from({ length: 8 }, (_, attempt) =>
      reconnectDelayMs(attempt, bounds, highest),
    );

    expect(delays).toEqual([2000, 4000, 8000, 16_000, 20_000, 20_000, 20_000, 20_000]);
  });

  it('stays between min and ceiling', () => {
    for (let attempt = 0; attempt < 40; attempt += 1) {
      expect(reconnectDelayMs(attempt, bounds, () => 0)).toBe(500);
      expect(retryCeilingMs(attempt, bounds)).toBeLessThanOrEqual(20_000);
      expect(reconnectDelayMs(attempt, bounds, () => 0.5)).toBeLessThanOrEqual(20_000);
    }
  });

  it('clamps random values outside [0, 1)', () => {
    expect(reconnectDelayMs(0, bounds, () => -3)).toBe(500);
    expect(reconnectDelayMs(0, bounds, () => 7)).toBe(2000);
    expect(reconnectDelayMs(0, bounds, () => Number.NaN)).toBeGreaterThanOrEqual(500);
  });

  it('spreads 300 first delays', () => {
    const random = createRandom(20_241_204);
    const delays = Array.from({ length: 300 }, () => reconnectDelayMs(0, bounds, random));

    const buckets = new Map<number, number>();
    for (const delay of delays) {
      const bucket = Math.floor(delay / 100);
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
    }
    const fullest = Math.max(...buckets.values());
    expect(fullest / delays.length).toBeLessThanOrEqual(0.11);
    expect(buckets.size).toBeGreaterThanOrEqual(14);
  });
});

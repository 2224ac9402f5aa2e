import { describe, expect, it } from 'vitest';
import {
  chance,
  createRandom,
  deriveSeed,
  pick,
  randomHex,
  randomInt,
} from '../../src/simulate/random.js';

function draw(seed: number, count: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => random());
}

describe('random', () => {
  it('repeats a sequence for a seed', () => {
    expect(draw(1, 100)).toEqual(draw(1, 100));
  });

  it('differs between seeds', () => {
    expect(draw(1, 10)).not.toEqual(draw(2, 10));
  });

  it('stays within [0, 1)', () => {
    const values = draw(123, 10_000);

    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });

  it('spreads values evenly', () => {
    const buckets = new Array<number>(10).fill(0);
    for (const value of draw(99, 100_000)) {
      const bucket = Math.floor(value * 10);
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }

    for (const count of buckets) {
      expect(count).toBeGreaterThan(9_000);
      expect(count).toBeLessThan(11_000);
    }
  });

  it('derives distinct seeds per salt', () => {
    const seeds = new Set<number>();
    for (let id = 1; id <= 1000; id++) seeds.add(deriveSeed(7, id));

    expect(seeds.size).toBe(1000);
    expect(deriveSeed(7, 5)).toBe(deriveSeed(7, 5));
    expect(deriveSeed(7, 5)).not.toBe(deriveSeed(8, 5));
    expect(deriveSeed(7, 2 ** 40)).not.toBe(deriveSeed(7, 2 ** 41));
  });

  it('keeps randomInt within bounds', () => {
    const random = createRandom(5);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(randomInt(random, 3, 6));

    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('honours chance extremes', () => {
    const random = createRandom(5);
    for (let i = 0; i < 100; i++) {
      expect(chance(random, 0)).toBe(false);
      expect(chance(random, 1)).toBe(true);
    }
  });

  it('picks from a list', () => {
    const random = createRandom(5);
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) seen.add(pick(random, ['a', 'b', 'c']));

    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
    expect(() => pick(random, [])).toThrow(RangeError);
  });

  it('makes hex strings of a length', () => {
    expect(randomHex(createRandom(5), 12)).toMatch(/^[0-9a-f]{12}$/);
  });
});

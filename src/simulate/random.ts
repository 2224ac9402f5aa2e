/**
 * Seeded pseudo-random numbers, so a simulator run with the same seed sends the same task
 * lives. The generator is mulberry32: fast, 32 bits of state, good enough for test traffic and
 * never for anything secret.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

const TWO_POW_32 = 2 ** 32;

/** Creates a mulberry32 generator. Only the low 32 bits of `seed` count. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / TWO_POW_32;
  };
}

/**
 * Mixes a run's seed with a non-negative safe integer (a task id) into a new 32-bit seed, so
 * each task draws from its own stream and its life does not depend on how tasks interleave.
 */
export function deriveSeed(seed: number, salt: number): number {
  const low = salt % TWO_POW_32;
  const high = Math.floor(salt / TWO_POW_32);

  let hash = finalizeHash((seed >>> 0) ^ 0x9e3779b9);
  hash = finalizeHash(hash ^ low);
  hash = finalizeHash(hash ^ high);
  return hash;
}

/**
 * Scrambles a 32-bit value with the MurmurHash3 finalizer, so each input bit flips about half the
 * output bits.
 */
function finalizeHash(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Returns an integer from `min` to `max`, both included. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Returns true with probability `probability` (0 never, 1 always). */
export function chance(random: Random, probability: number): boolean {
  return random() < probability;
}

/** Returns one element of a non-empty list. Throws RangeError on an empty list. */
export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('invalid items: expected a non-empty list');

  return item;
}

/** Returns `length` lower-case hexadecimal digits. */
export function randomHex(random: Random, length: number): string {
  let hex = '';
  for (let i = 0; i < length; i++) hex += Math.floor(random() * 16).toString(16);
  return hex;
}

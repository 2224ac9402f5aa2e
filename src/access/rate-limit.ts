/**
 * A token-bucket rate limit per key (a client address), with a bounded number of keys.
 */

/** Keys tracked at once; the least recently seen is forgotten first, which only resets its bucket. */
export const MAX_RATE_LIMIT_KEYS = 10_000;

interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

export interface RateLimitOptions {
  /** Sustained requests per second. */
  readonly ratePerSecond: number;
  /** Requests allowed at once above the sustained rate. */
  readonly burst: number;
}

/** Per-key token buckets. */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #options: RateLimitOptions;

  constructor(options: RateLimitOptions) {
    this.#options = options;
  }

  get keys(): number {
    return this.#buckets.size;
  }

  /** Takes one token for `key`; returns 0 when allowed, else the seconds until one is free. */
  take(key: string, nowMs: number): number {
    const bucket = this.#refill(key, nowMs);

    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#options.ratePerSecond));
  }

  #refill(key: string, nowMs: number): Bucket {
    const existing = this.#buckets.get(key);
    const { ratePerSecond, burst } = this.#options;

    const bucket = existing ?? { tokens: burst, updatedAtMs: nowMs };
    const elapsedSeconds = Math.max(0, nowMs - bucket.updatedAtMs) / 1000;
    bucket.tokens = Math.min(burst, bucket.tokens + elapsedSeconds * ratePerSecond);
    bucket.updatedAtMs = nowMs;

    // Re-inserting keeps the map in least-recently-seen order for eviction.
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > MAX_RATE_LIMIT_KEYS) {
      this.#buckets.delete(this.#buckets.keys().next().value as string);
    }
    return bucket;
  }
}

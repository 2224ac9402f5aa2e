/**
 * A token bucket sized so that no window of one minute ever contains more than `perMinute`
 * posts. It stores at most `burst` tokens and refills at `perMinute − burst` a minute. Any
 * window of a minute starts with at most `burst` stored tokens and gains at most
 * `perMinute − burst`, so the vendor's limit is kept wherever the window starts. The cost is a
 * slightly lower steady rate.
 */

export interface TokenBucketOptions {
  /** Posts allowed in any one minute, at least 2. */
  readonly perMinute: number;
  /** Tokens stored at most, from 1 to `perMinute − 1`. */
  readonly burst: number;
  /** Clock in milliseconds. */
  readonly now: () => number;
}

const MINUTE_MS = 60_000;

/** Paces posts to one robot. */
export class TokenBucket {
  readonly #capacity: number;
  readonly #refillPerMs: number;
  readonly #now: () => number;
  #tokens: number;
  #refilledAt: number;

  constructor(options: TokenBucketOptions) {
    if (options.perMinute < 2 || options.burst < 1 || options.burst >= options.perMinute) {
      throw new RangeError(
        `invalid token bucket: perMinute ${options.perMinute}, burst ${options.burst}`,
      );
    }
    this.#capacity = options.burst;
    this.#refillPerMs = (options.perMinute - options.burst) / MINUTE_MS;
    this.#now = options.now;
    this.#tokens = options.burst;
    this.#refilledAt = options.now();
  }

  /** Spends a token if one is there. */
  tryTake(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token, rounded up; 0 when one is there. */
  msUntilToken(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#refillPerMs);
  }

  #refill(): void {
    const now = this.#now();
    const elapsed = Math.max(0, now - this.#refilledAt);
    this.#tokens = Math.min(this.#capacity, this.#tokens + elapsed * this.#refillPerMs);
    this.#refilledAt = now;
  }
}

/**
 * A token bucket that paces the simulator's requests. Tokens accrue at `ratePerSecond` up to
 * `burst`, and each request spends one, so over any span of T seconds at most
 * `burst + ratePerSecond × T` requests start.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface RateLimiterOptions {
  /** Requests per second, greater than 0. */
  readonly ratePerSecond: number;
  /**
   * Requests that may start back to back after an idle spell. It lets high rates make up for
   * timers that fire a millisecond late. @default max(1, ceil(ratePerSecond / 100))
   */
  readonly burst?: number;
  /** Clock in milliseconds. @default performance.now */
  readonly now?: () => number;
  /**
   * Waits `ms` milliseconds and resolves early, without error, when `signal` aborts. @default a
   * timer
   */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Paces callers to a steady rate. */
export class RateLimiter {
  readonly #ratePerMs: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  #tokens = 1;
  #refilledAt: number;

  constructor(options: RateLimiterOptions) {
    this.#ratePerMs = options.ratePerSecond / 1000;
    this.#burst = options.burst ?? Math.max(1, Math.ceil(options.ratePerSecond / 100));
    this.#now = options.now ?? (() => performance.now());
    this.#sleep = options.sleep ?? sleep;
    this.#refilledAt = this.#now();
  }

  /** Waits for a token and spends it. Resolves false, without spending, once `signal` aborts. */
  async acquire(signal?: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal?.aborted === true) return false;

      this.#refill();
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return true;
      }
      // Whole milliseconds, because timers have no finer resolution and a sub-millisecond wait
      // could leave the token a rounding error short forever.
      await this.#sleep(Math.max(1, Math.ceil((1 - this.#tokens) / this.#ratePerMs)), signal);
    }
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#refilledAt) * this.#ratePerMs);
    this.#refilledAt = now;
  }
}

/** Waits `ms` milliseconds; resolves early, without error, when `signal` aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') return;
    throw error;
  }
}

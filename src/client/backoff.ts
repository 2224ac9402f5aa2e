/**
 * Reconnect delays: exponential growth with full jitter above a floor, so clients that lost the
 * relay at the same moment do not come back at the same moment.
 */

/** Bounds of the reconnect delay, in milliseconds. */
export interface BackoffBounds {
  readonly minMs: number;
  readonly maxMs: number;
}

/**
 * Ceiling of the first retry window, as a multiple of `minMs`. A relay restart drops every
 * client at once; a window of 4 × 500 ms spreads 300 clients to about 20 per 100 ms.
 */
const FIRST_WINDOW_FACTOR = 4;

/** Highest exponent used, so `2 ** attempt` stays finite for any attempt count. */
const MAX_EXPONENT = 30;

/**
 * Returns the upper end of the retry window for `attempt` (0 for the first retry):
 * `minMs × 4 × 2^attempt`, capped at `maxMs`.
 */
export function retryCeilingMs(attempt: number, bounds: BackoffBounds): number {
  const exponent = Math.min(Math.max(0, attempt), MAX_EXPONENT);
  // A floor of 0 would keep every window empty, so growth starts from at least 1 ms.
  const base = Math.max(bounds.minMs, 1);
  return Math.min(bounds.maxMs, base * FIRST_WINDOW_FACTOR * 2 ** exponent);
}

/**
 * Returns the delay before retry number `attempt` (0 for the first): uniformly random between
 * `minMs` and the window's ceiling, rounded to whole milliseconds. `random` returns [0, 1).
 */
export function reconnectDelayMs(
  attempt: number,
  bounds: BackoffBounds,
  random: () => number,
): number {
  const ceiling = retryCeilingMs(attempt, bounds);
  const value = random();
  // A broken source (NaN, out of range) still yields a delay inside the window.
  const fraction = Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0;
  return Math.round(bounds.minMs + fraction * Math.max(0, ceiling - bounds.minMs));
}

/** Checks the bounds the client was given. @throws RangeError naming the invalid option */
export function checkBounds(bounds: BackoffBounds): void {
  if (!Number.isFinite(bounds.minMs) || bounds.minMs < 0) {
    throw new RangeError(`minReconnectDelayMs must be a finite number ≥ 0, got ${bounds.minMs}`);
  }
  if (!Number.isFinite(bounds.maxMs) || bounds.maxMs < bounds.minMs) {
    throw new RangeError(
      `maxReconnectDelayMs must be a finite number ≥ minReconnectDelayMs (${bounds.minMs}), got ${bounds.maxMs}`,
    );
  }
}

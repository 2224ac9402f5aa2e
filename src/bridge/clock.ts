/**
 * The bridge's source of time. Rate limits, retries and signatures read this clock, so tests can
 * drive them with a fake one instead of waiting.
 */

/** A cancellable timer handle. */
export type TimerHandle = { readonly cancel: () => void };

export interface Clock {
  /** Wall time in Unix milliseconds; signatures are built from it. */
  now(): number;
  /** Runs `callback` once after `ms` milliseconds. */
  setTimer(callback: () => void, ms: number): TimerHandle;
}

/** The real clock: `Date.now` and unref'd `setTimeout`, so pending retries never hold the process. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, ms) {
    const timer = setTimeout(callback, Math.max(0, ms));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

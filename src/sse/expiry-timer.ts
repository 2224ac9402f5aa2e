/**
 * A timer for an absolute time that may lie further ahead than Node.js timers reach.
 */

/** Maximum delay of a Node.js timer (2^31 - 1 ms, about 24.8 days). Longer waits are re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Runs `callback` once at `atMs` (Unix milliseconds), never before it, without keeping the
 * process alive. Returns the function that cancels it. An infinite `atMs` never fires.
 */
export function runAt(atMs: number, callback: () => void): () => void {
  if (!Number.isFinite(atMs)) return () => {};

  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const delayMs = Math.max(0, Math.min(atMs - Date.now(), MAX_TIMER_MS));
    timer = setTimeout(() => {
      if (Date.now() < atMs) arm();
      else callback();
    }, delayMs);
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

/**
 * The observed frame rate of rendering tasks, for an estimate of the time left. The rate is
 * measured between the first and the latest frame count this page saw, so it is only as good
 * as the time the page has been watching.
 */

interface Sample {
  atMs: number;
  frames: number;
}

export class FrameRates {
  readonly #first = new Map<number, Sample>();

  /** Records the frame count of a task at `atMs`. */
  observe(id: number, frames: number, atMs: number): void {
    const first = this.#first.get(id);
    if (first === undefined || frames < first.frames) this.#first.set(id, { atMs, frames });
  }

  /** Returns the estimated seconds left, or `undefined` before two different counts were seen. */
  remainingSeconds(id: number, done: number, total: number, nowMs: number): number | undefined {
    const first = this.#first.get(id);
    if (first === undefined || done <= first.frames || total <= done) return undefined;
    const elapsedSeconds = (nowMs - first.atMs) / 1000;
    if (elapsedSeconds <= 0) return undefined;
    const framesPerSecond = (done - first.frames) / elapsedSeconds;
    return (total - done) / framesPerSecond;
  }

  forget(id: number): void {
    this.#first.delete(id);
  }

  clear(): void {
    this.#first.clear();
  }
}

/**
 * A log that writes at most a few lines per key and interval, then one summary of what it held
 * back. Used for events that can repeat thousands of times a second (rejected callbacks, limits
 * that bite) without flooding the log.
 */
import type { Logger } from './log.js';

type Level = 'info' | 'warn' | 'error';

export interface ThrottledLogOptions {
  readonly logger: Logger;
  readonly level: Level;
  /** Lines written per key in one interval. */
  readonly linesPerInterval: number;
  /** Interval length, in milliseconds. */
  readonly intervalMs: number;
}

/** A rate-limited log for one kind of record. */
export class ThrottledLog {
  readonly #options: ThrottledLogOptions;
  readonly #written = new Map<string, number>();
  readonly #suppressed = new Map<string, number>();
  readonly #timer: NodeJS.Timeout;

  constructor(options: ThrottledLogOptions) {
    this.#options = options;
    this.#timer = setInterval(() => this.flush(), options.intervalMs);
    this.#timer.unref();
  }

  /** Writes the record unless `key` has used up this interval's lines. */
  write(key: string, fields: Record<string, unknown>, message: string): void {
    const written = this.#written.get(key) ?? 0;
    if (written < this.#options.linesPerInterval) {
      this.#written.set(key, written + 1);
      this.#options.logger[this.#options.level](fields, message);
      return;
    }

    this.#suppressed.set(key, (this.#suppressed.get(key) ?? 0) + 1);
  }

  /** Writes one summary per key with held-back records and starts a new interval. */
  flush(): void {
    for (const [key, count] of this.#suppressed) {
      this.#options.logger[this.#options.level](
        { key, suppressed: count, intervalMs: this.#options.intervalMs },
        'repeated records suppressed',
      );
    }
    this.#suppressed.clear();
    this.#written.clear();
  }

  close(): void {
    clearInterval(this.#timer);
    this.flush();
  }
}

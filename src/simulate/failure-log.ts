/**
 * Logs failed callbacks at a bounded rate. A relay that is down fails every request, and at
 * thousands of requests a second one line each would bury everything else in the log.
 */

/** The two logger methods the simulator calls. A pino logger fits this interface. */
export interface SimulatorLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface FailureLogOptions {
  readonly logger?: SimulatorLogger;
  /** Lines written per window. @default 5 */
  readonly linesPerWindow?: number;
  /** Window length in milliseconds. @default 1000 */
  readonly windowMs?: number;
  /** Clock in milliseconds. @default Date.now */
  readonly now?: () => number;
}

/** Writes failures as warnings, at most `linesPerWindow` per window, and counts the rest. */
export class FailureLog {
  readonly #logger: SimulatorLogger | undefined;
  readonly #linesPerWindow: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #windowStart = Number.NEGATIVE_INFINITY;
  #linesInWindow = 0;
  #suppressed = 0;

  constructor(options: FailureLogOptions = {}) {
    this.#logger = options.logger;
    this.#linesPerWindow = options.linesPerWindow ?? 5;
    this.#windowMs = options.windowMs ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Logs one failure unless this window's lines are used up. The next line written carries
   * `suppressed`, the number of failures left out since the previous line.
   */
  write(fields: Record<string, unknown>, message: string): void {
    const now = this.#now();
    if (now - this.#windowStart >= this.#windowMs) {
      this.#windowStart = now;
      this.#linesInWindow = 0;
    }
    if (this.#linesInWindow >= this.#linesPerWindow) {
      this.#suppressed += 1;
      return;
    }

    this.#linesInWindow += 1;
    const suppressed = this.#suppressed;
    this.#suppressed = 0;
    this.#logger?.warn(suppressed > 0 ? { ...fields, suppressed } : fields, message);
  }

  /** Logs the count of failures left out since the last line, if any. */
  flush(): void {
    if (this.#suppressed === 0) return;

    this.#logger?.warn(
      { suppressed: this.#suppressed },
      'callback failures not logged individually',
    );
    this.#suppressed = 0;
  }
}

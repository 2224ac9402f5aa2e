/**
 * Liveness of one socket: an application ping every interval, and a deadline that any frame
 * from the relay (pong, heartbeat or event) pushes back. Browsers cannot see protocol pings, so
 * this is how a browser client notices a half-open connection.
 */

/** Intervals of silence after which the socket counts as dead. */
const SILENT_INTERVALS = 2;

export interface WatchdogOptions {
  /** Time between pings, in milliseconds. */
  readonly intervalMs: number;
  readonly sendPing: () => void;
  /** Called once when nothing arrived for 2 intervals. */
  readonly onSilent: () => void;
}

/** The ping timer and the silence deadline of one socket. */
export class Watchdog {
  readonly #options: WatchdogOptions;
  #lastSeenMs = Date.now();
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #deadlineTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: WatchdogOptions) {
    this.#options = options;
  }

  /** Starts pinging and counts the silence from now. */
  start(): void {
    this.stop();
    this.#lastSeenMs = Date.now();
    this.#pingTimer = setInterval(() => this.#options.sendPing(), this.#options.intervalMs);
    this.#armDeadline(SILENT_INTERVALS * this.#options.intervalMs);
  }

  /** Records a frame from the relay. Cheap, because it runs for every event. */
  touch(): void {
    this.#lastSeenMs = Date.now();
  }

  stop(): void {
    clearInterval(this.#pingTimer);
    clearTimeout(this.#deadlineTimer);
    this.#pingTimer = undefined;
    this.#deadlineTimer = undefined;
  }

  /** Re-arms the deadline for the time left instead of resetting a timer on every frame. */
  #armDeadline(delayMs: number): void {
    this.#deadlineTimer = setTimeout(() => {
      const silentMs = Date.now() - this.#lastSeenMs;
      const limitMs = SILENT_INTERVALS * this.#options.intervalMs;
      if (silentMs < limitMs) {
        this.#armDeadline(limitMs - silentMs);
        return;
      }
      this.stop();
      this.#options.onSilent();
    }, delayMs);
  }
}

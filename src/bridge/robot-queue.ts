/**
 * The queue of one robot: paces posts with a token bucket, merges what piled up into one digest
 * message, retries transient failures with capped exponential backoff and jitter, pauses after
 * a throttle reply, and drops the oldest notices when full. An event whose `epoch:seq` is among
 * the last `dedupeSize` keys is not queued again.
 *
 * NOTE: a post whose reply is lost (a timeout after the platform accepted it) is retried, and
 * the group then receives that message twice, because the webhook APIs offer no idempotency key.
 */
import type { Logger } from '../observability/log.js';
import type { Clock, TimerHandle } from './clock.js';
import type { Outcome } from './formats/index.js';
import type { Notice } from './notice.js';
import { TokenBucket } from './token-bucket.js';

export interface RobotQueueOptions {
  /** Posts one message for the notices. Must resolve, never reject. */
  readonly deliver: (notices: readonly Notice[]) => Promise<Outcome>;
  readonly clock: Clock;
  /** A logger bound to the robot's name and redacted URL. */
  readonly logger: Logger;
  readonly perMinute: number;
  readonly burst: number;
  /** Pause after a throttle reply, in milliseconds. */
  readonly throttlePauseMs: number;
  /** Notices waiting at most; the oldest go first. @default 500 */
  readonly maxQueue?: number;
  /** Notices merged into one digest at most. @default 10 */
  readonly digestMax?: number;
  /** First retry delay, in milliseconds. @default 2000 */
  readonly retryBaseMs?: number;
  /** Maximum retry delay, in milliseconds. @default 120000 */
  readonly retryMaxMs?: number;
  /** Failed attempts of one message before it is dropped; throttle replies do not count. @default 6 */
  readonly maxAttempts?: number;
  /** Event keys remembered for dedupe. @default 10000 */
  readonly dedupeSize?: number;
  /** Random number in [0, 1) for jitter. @default Math.random */
  readonly random?: () => number;
}

/** Counters of one robot's queue. */
export interface RobotQueueStats {
  /** Notices in messages the platform accepted. */
  delivered: number;
  /** Messages the platform accepted. */
  messages: number;
  /** Notices dropped because the queue was full. */
  dropped: number;
  /** Notices dropped after a final failure. */
  failed: number;
  /** Events ignored because they were queued before. */
  duplicates: number;
}

export class RobotQueue {
  readonly stats: RobotQueueStats = {
    delivered: 0,
    messages: 0,
    dropped: 0,
    failed: 0,
    duplicates: 0,
  };
  readonly #options: RobotQueueOptions;
  readonly #bucket: TokenBucket;
  readonly #pending: Notice[] = [];
  readonly #seen = new Set<string>();
  #timer: TimerHandle | undefined;
  #sending = false;
  #attempts = 0;
  #pausedUntil = 0;
  #closed = false;
  #idleWaiters: (() => void)[] = [];

  constructor(options: RobotQueueOptions) {
    this.#options = options;
    this.#bucket = new TokenBucket({
      perMinute: options.perMinute,
      burst: options.burst,
      now: () => options.clock.now(),
    });
  }

  /** Notices waiting to be posted. */
  get size(): number {
    return this.#pending.length;
  }

  /** Queues a notice; returns false when its event was queued before. */
  push(notice: Notice): boolean {
    if (this.#closed) return false;
    if (this.#seen.has(notice.key)) {
      this.stats.duplicates += 1;
      return false;
    }
    this.#remember(notice.key);
    this.#pending.push(notice);
    this.#trim();
    // A zero delay lets events that arrive in the same tick merge into one digest.
    if (this.#timer === undefined && !this.#sending) this.#schedule(0);
    return true;
  }

  /** Resolves once nothing is waiting or sending, or after `timeoutMs`; true when idle. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.#isIdle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = this.#options.clock.setTimer(() => resolve(false), timeoutMs);
      this.#idleWaiters.push(() => {
        timer.cancel();
        resolve(true);
      });
    });
  }

  /** Stops posting; what is still queued is dropped. */
  close(): void {
    this.#closed = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #schedule(ms: number): void {
    this.#timer?.cancel();
    this.#timer = this.#options.clock.setTimer(() => {
      this.#timer = undefined;
      this.#pump();
    }, ms);
  }

  #pump(): void {
    if (this.#closed || this.#sending) return;
    if (this.#pending.length === 0) {
      this.#notifyIdle();
      return;
    }

    const now = this.#options.clock.now();
    if (now < this.#pausedUntil) {
      this.#schedule(this.#pausedUntil - now);
      return;
    }
    if (!this.#bucket.tryTake()) {
      this.#schedule(this.#bucket.msUntilToken());
      return;
    }

    const batch = this.#pending.splice(0, this.#options.digestMax ?? 10);
    this.#sending = true;
    void this.#options.deliver(batch).then((outcome) => {
      this.#sending = false;
      this.#settle(batch, outcome);
      this.#pump();
    });
  }

  #settle(batch: Notice[], outcome: Outcome): void {
    const log = this.#options.logger;
    const ids = batch.map((notice) => notice.id);

    if (outcome.kind === 'ok') {
      this.#attempts = 0;
      this.stats.messages += 1;
      this.stats.delivered += batch.length;
      log.debug({ notices: batch.length, taskIds: ids }, 'robot message posted');
      return;
    }

    if (outcome.kind === 'fatal') {
      this.#attempts = 0;
      this.stats.failed += batch.length;
      log.error(
        { reason: outcome.reason, notices: batch.length, taskIds: ids },
        'robot post failed and will not be retried; check the robot URL, secret and keywords',
      );
      return;
    }

    if (!outcome.throttled) this.#attempts += 1;
    const maxAttempts = this.#options.maxAttempts ?? 6;
    if (this.#attempts >= maxAttempts) {
      this.#attempts = 0;
      this.stats.failed += batch.length;
      log.error(
        { reason: outcome.reason, attempts: maxAttempts, notices: batch.length, taskIds: ids },
        'robot post failed after the last retry; notices dropped',
      );
      return;
    }

    const delayMs = outcome.throttled
      ? Math.max(this.#options.throttlePauseMs, this.#backoffMs())
      : this.#backoffMs();
    this.#pausedUntil = this.#options.clock.now() + delayMs;
    this.#pending.unshift(...batch);
    this.#trim();
    log.warn(
      {
        reason: outcome.reason,
        throttled: outcome.throttled,
        attempt: this.#attempts,
        delayMs,
        notices: batch.length,
      },
      'robot post failed; retrying',
    );
  }

  /** Exponential backoff with jitter: a random delay in [d/2, d], d doubling up to the cap. */
  #backoffMs(): number {
    const base = this.#options.retryBaseMs ?? 2000;
    const cap = this.#options.retryMaxMs ?? 120_000;
    const exponent = Math.max(0, this.#attempts - 1);
    const ceiling = Math.min(cap, base * 2 ** exponent);
    const random = this.#options.random ?? Math.random;
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  #trim(): void {
    const max = this.#options.maxQueue ?? 500;
    const excess = this.#pending.length - max;
    if (excess <= 0) return;

    const dropped = this.#pending.splice(0, excess);
    this.stats.dropped += excess;
    this.#options.logger.warn(
      {
        dropped: excess,
        droppedTotal: this.stats.dropped,
        maxQueue: max,
        taskIds: dropped.map((notice) => notice.id),
      },
      'robot queue full; oldest notices dropped',
    );
  }

  #remember(key: string): void {
    this.#seen.add(key);
    const max = this.#options.dedupeSize ?? 10_000;
    if (this.#seen.size <= max) return;
    // A Set iterates in insertion order, so the first key is the oldest.
    const oldest = this.#seen.values().next().value;
    if (oldest !== undefined) this.#seen.delete(oldest);
  }

  #isIdle(): boolean {
    return this.#pending.length === 0 && !this.#sending;
  }

  #notifyIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * The platform simulator: interleaves the lives of many render tasks and POSTs their callbacks
 * to a relay at a steady rate, with resent and late callbacks like the real platform's.
 *
 * Callbacks of one task are sent one at a time, each after the previous one's reply, so the
 * relay receives them in exactly the planned order. Callbacks of different tasks overlap, up to
 * `concurrency` requests in flight.
 */

import type { Delivery } from './deliveries.js';
import { FailureLog } from './failure-log.js';
import { applyKeyStyle } from './key-style.js';
import {
  type ResolvedSimulatorOptions,
  resolveSimulatorOptions,
  type SimulatorOptions,
} from './options.js';
import { type PostOutcome, postCallback } from './post-callback.js';
import { createRandom, type Random } from './random.js';
import { RateLimiter } from './rate-limiter.js';
import { type PlannedTask, TaskSource } from './task-source.js';

export type { SimulatorLogger } from './failure-log.js';
export type { SimulatorOptions } from './options.js';

/** Counts of one run. `sent` equals `ok + failed` once the run has resolved. */
export interface SimulatorStats {
  /** Requests started, resends and late deliveries included. */
  sent: number;
  /** Requests that got HTTP 2xx with `error_code` 0. */
  ok: number;
  /** Requests rejected by the relay, timed out, failed on the network or cut off by `signal`. */
  failed: number;
  /** Requests that repeated the previous callback of their task unchanged. */
  resent: number;
  /** Requests sent after a newer callback of the same task. */
  late: number;
  /** Requests started per route: createinfo, updateinfo, deleteinfo, and the frame and payment routes when sent. */
  byRoute: Record<string, number>;
}

/**
 * Runs the simulator until every task life is sent or, with `loop`, until `signal` aborts.
 * Throws RangeError for an invalid option before sending anything. Resolves with the counts,
 * also after `signal` aborts: requests in flight are then cut off and no new ones start.
 */
export async function runSimulator(options: SimulatorOptions): Promise<SimulatorStats> {
  const resolved = resolveSimulatorOptions(options);
  return new SimulatorRun(resolved).execute();
}

/** A task in progress and the index of its next delivery. */
interface ActiveTask {
  readonly planned: PlannedTask;
  next: number;
}

class SimulatorRun {
  readonly #options: ResolvedSimulatorOptions;
  readonly #stats: SimulatorStats;
  readonly #limiter: RateLimiter;
  readonly #source: TaskSource;
  /** Picks which ready task sends next. */
  readonly #random: Random;
  readonly #failures: FailureLog;
  /** Tasks with deliveries left and no request in flight. */
  readonly #ready: ActiveTask[] = [];
  readonly #inFlight = new Set<Promise<void>>();

  constructor(options: ResolvedSimulatorOptions) {
    this.#options = options;
    this.#stats = {
      sent: 0,
      ok: 0,
      failed: 0,
      resent: 0,
      late: 0,
      byRoute: { createinfo: 0, updateinfo: 0, deleteinfo: 0 },
    };
    this.#limiter = new RateLimiter({ ratePerSecond: options.ratePerSecond });
    this.#source = new TaskSource(options);
    this.#random = createRandom(options.seed);
    this.#failures = new FailureLog({ logger: options.logger });
  }

  async execute(): Promise<SimulatorStats> {
    const { signal, logger } = this.#options;
    logger?.info(this.#describeRun(), 'simulator started');

    while (signal?.aborted !== true) {
      this.#startTasks();
      if (this.#ready.length === 0 && this.#inFlight.size === 0) break;

      if (this.#ready.length === 0 || this.#inFlight.size >= this.#options.concurrency) {
        await Promise.race(this.#inFlight);
        continue;
      }
      if (!(await this.#limiter.acquire(signal))) break;

      this.#send(this.#takeReadyTask());
    }

    await Promise.all(this.#inFlight);
    this.#failures.flush();
    const aborted = signal?.aborted === true;
    logger?.info(
      { ...this.#stats, tasksStarted: this.#source.created, aborted },
      aborted ? 'simulator stopped' : 'simulator finished',
    );
    return this.#stats;
  }

  /** Starts new task lives until `activeTasks` are in progress or the run has no more. */
  #startTasks(): void {
    const { activeTasks, tasks, loop, firstTaskId } = this.#options;

    while (this.#ready.length + this.#inFlight.size < activeTasks) {
      const created = this.#source.created;
      if (created >= tasks && !loop) return;
      // Unreachable in practice: firstTaskId is capped 7 × 10^12 below the limit.
      if (firstTaskId + created > Number.MAX_SAFE_INTEGER) return;

      this.#ready.push({ planned: this.#source.next(), next: 0 });
    }
  }

  /** Removes and returns a random ready task; the caller ensures one exists. */
  #takeReadyTask(): ActiveTask {
    const index = Math.floor(this.#random() * this.#ready.length);
    const last = this.#ready.pop() as ActiveTask;
    if (index >= this.#ready.length) return last;

    const chosen = this.#ready[index] as ActiveTask;
    this.#ready[index] = last;
    return chosen;
  }

  #send(task: ActiveTask): void {
    const delivery = task.planned.deliveries[task.next];
    if (delivery === undefined) return;

    task.next += 1;
    this.#countStart(delivery);
    const { url, keyStyle, requestTimeoutMs, signal } = this.#options;
    const { route, body } = delivery.callback;
    const json = JSON.stringify(applyKeyStyle(body, keyStyle));

    const request = postCallback(`${url}/api/task/${route}`, json, requestTimeoutMs, signal).then(
      (outcome) => {
        this.#countOutcome(task.planned.id, delivery, outcome);
        this.#inFlight.delete(request);
        if (task.next < task.planned.deliveries.length) this.#ready.push(task);
      },
    );
    this.#inFlight.add(request);
  }

  #countStart(delivery: Delivery): void {
    const route = delivery.callback.route;
    this.#stats.sent += 1;
    this.#stats.byRoute[route] = (this.#stats.byRoute[route] ?? 0) + 1;
    if (delivery.kind === 'resend') this.#stats.resent += 1;
    if (delivery.kind === 'late') this.#stats.late += 1;
  }

  #countOutcome(taskId: number, delivery: Delivery, outcome: PostOutcome): void {
    if (outcome.ok) {
      this.#stats.ok += 1;
      return;
    }

    this.#stats.failed += 1;
    // A request cut off by the caller's abort is the expected end of a run, not a fault.
    if (outcome.aborted) return;

    const { route, body } = delivery.callback;
    this.#failures.write(
      {
        taskId,
        route,
        status: body.Status,
        delivery: delivery.kind,
        httpStatus: outcome.httpStatus,
        reason: outcome.reason,
      },
      'callback failed',
    );
  }

  #describeRun(): Record<string, unknown> {
    const {
      url,
      tasks,
      ratePerSecond,
      owners,
      agencies,
      keyStyle,
      seed,
      maxFrames,
      concurrency,
      loop,
      frames,
      payments,
    } = this.#options;
    return {
      frames,
      payments,
      url,
      tasks,
      ratePerSecond,
      owners,
      agencies,
      keyStyle,
      seed,
      maxFrames,
      concurrency,
      loop,
    };
  }
}

/**
 * Frame tables of every task: attached tables for tasks in the cache, and a pending area for
 * frames whose task has not arrived yet. The platform may post a frame before the task's
 * createinfo, so those frames wait here and move to the task when it arrives.
 *
 * Bounds: each table keeps at most `maxFramesPerTask` frames, and the pending area at most
 * `maxPendingFrames` in total. When the pending area is full, the first-arrived frame of the task
 * that has waited longest is dropped. Every drop is reported through `onLimit`.
 */
import type { Frame } from '../protocol/frame-schema.js';
import { FrameTable, type FrameTableOutcome } from './frame-table.js';

/** The frame limit that was reached. */
export type FrameLimit = 'frames_per_task' | 'pending_frames';

export interface FrameStoreOptions {
  /** Frames kept per task. @default 10000 */
  readonly maxFramesPerTask: number;
  /** Frames kept in total for tasks not cached yet. @default 10000 */
  readonly maxPendingFrames: number;
  /** How long an exact copy of an earlier frame state counts as a resend, in milliseconds. */
  readonly duplicateWindowMs: number;
  readonly onLimit?: (limit: FrameLimit, taskId: number) => void;
}

/** The outcome of a frame in the pending area: as in a table, but `pending` instead of a change. */
export type PendingOutcome =
  | { readonly kind: 'pending' }
  | Extract<FrameTableOutcome, { kind: 'duplicate' | 'stale' | 'dropped' }>;

/** Frame tables by task id. */
export class FrameStore {
  readonly #attached = new Map<number, FrameTable>();
  // Insertion order is the order in which each task's first pending frame arrived.
  readonly #pending = new Map<number, FrameTable>();
  readonly #options: FrameStoreOptions;
  #attachedFrames = 0;
  #pendingFrames = 0;

  constructor(options: FrameStoreOptions) {
    this.#options = options;
  }

  /** Frames kept for cached tasks. */
  get attachedFrames(): number {
    return this.#attachedFrames;
  }

  /** Frames waiting for their task. */
  get pendingFrames(): number {
    return this.#pendingFrames;
  }

  /** Returns the frame table of a cached task, `undefined` when it has no frames. */
  table(taskId: number): FrameTable | undefined {
    return this.#attached.get(taskId);
  }

  /** Applies a frame of a task that is in the cache. */
  applyAttached(frame: Frame, nowMs: number): FrameTableOutcome {
    const taskId = frame.renderTaskId;
    let table = this.#attached.get(taskId);
    if (table === undefined) {
      table = this.#newTable();
      this.#attached.set(taskId, table);
    }

    const outcome = table.apply(frame, nowMs);
    if (outcome.kind === 'created') this.#attachedFrames += 1;
    if (outcome.kind === 'dropped') this.#options.onLimit?.('frames_per_task', taskId);
    return outcome;
  }

  /** Keeps a frame of a task that is not in the cache until the task arrives. */
  applyPending(frame: Frame, nowMs: number): PendingOutcome {
    const taskId = frame.renderTaskId;
    let table = this.#pending.get(taskId);
    if (table === undefined) {
      table = this.#newTable();
      this.#pending.set(taskId, table);
    }

    const outcome = table.apply(frame, nowMs);
    if (outcome.kind === 'dropped') this.#options.onLimit?.('frames_per_task', taskId);
    if (outcome.kind !== 'created' && outcome.kind !== 'updated') {
      if (table.size === 0) this.#pending.delete(taskId);
      return outcome;
    }

    if (outcome.kind === 'created') {
      this.#pendingFrames += 1;
      this.#dropPendingOverLimit();
    }
    return { kind: 'pending' };
  }

  /** Moves a task's pending frames to its table, when the task enters the cache. */
  attach(taskId: number): void {
    const table = this.#pending.get(taskId);
    if (table === undefined) return;

    this.#pending.delete(taskId);
    this.#pendingFrames -= table.size;
    this.remove(taskId);
    this.#attached.set(taskId, table);
    this.#attachedFrames += table.size;
  }

  /** Forgets a task's frames, attached and pending: the task was deleted or left the cache. */
  remove(taskId: number): void {
    const attached = this.#attached.get(taskId);
    if (attached !== undefined) {
      this.#attached.delete(taskId);
      this.#attachedFrames -= attached.size;
    }

    const pending = this.#pending.get(taskId);
    if (pending !== undefined) {
      this.#pending.delete(taskId);
      this.#pendingFrames -= pending.size;
    }
  }

  #newTable(): FrameTable {
    return new FrameTable(this.#options.maxFramesPerTask, this.#options.duplicateWindowMs);
  }

  #dropPendingOverLimit(): void {
    while (this.#pendingFrames > this.#options.maxPendingFrames) {
      const oldest = this.#pending.entries().next();
      if (oldest.done === true) return;

      const [taskId, table] = oldest.value;
      table.dropOldest();
      this.#pendingFrames -= 1;
      if (table.size === 0) this.#pending.delete(taskId);
      this.#options.onLimit?.('pending_frames', taskId);
    }
  }
}

/**
 * The task store: applies one callback's task to the cache and classifies what happened.
 *
 * Outcomes:
 * - `created`, `updated`, `deleted`: a real change, to be published as an event;
 * - `duplicate`: the same state as the cached one, or as one seen within the duplicate window;
 * - `stale`: an older state (see progress.ts), or any update of a task deleted recently.
 * Duplicates and stale states change nothing and publish nothing.
 */
import type { Frame } from '../protocol/frame-schema.js';
import { Action } from '../protocol/status.js';
import type { Task } from '../protocol/task-schema.js';
import { fingerprintTask, rememberState, seenRecently } from './fingerprint.js';
import { type FrameLimit, FrameStore, type PendingOutcome } from './frame-store.js';
import type { FrameTableOutcome } from './frame-table.js';
import { PaymentLedger } from './payment-ledger.js';
import { staleReason } from './progress.js';
import {
  type CachedTask,
  type EvictionReason,
  estimateEntryBytes,
  TaskCache,
} from './task-cache.js';
import { type TombstoneDropReason, Tombstones } from './tombstones.js';

/** The kind of callback route that brought the task. */
export type CallbackKind = 'create' | 'update' | 'delete';

export type ApplyOutcome =
  | { readonly kind: 'created'; readonly after: CachedTask }
  | { readonly kind: 'updated'; readonly before: CachedTask; readonly after: CachedTask }
  | {
      readonly kind: 'deleted';
      readonly before: CachedTask | undefined;
      readonly after: CachedTask;
    }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'stale'; readonly reason: string };

/**
 * The outcome of one frame callback. A change of a cached task's frame carries that task, whose
 * identity routes the frame's event. `pending`: kept until the task arrives, with no event.
 */
export type FrameApplyOutcome =
  | (Extract<FrameTableOutcome, { kind: 'created' | 'updated' }> & { readonly task: CachedTask })
  | Exclude<FrameTableOutcome, { kind: 'created' | 'updated' }>
  | PendingOutcome
  | { readonly kind: 'stale'; readonly reason: 'deleted' };

export interface TaskStoreOptions {
  /** Tasks cached at once. @default 100000 */
  readonly maxTasks: number;
  /** Estimated bytes cached at once. @default 536870912 (512 MiB) */
  readonly maxBytes: number;
  /** How long finished tasks and deletions are kept, in milliseconds. @default 86400000 (24 h) */
  readonly retentionMs: number;
  /** How long an exact copy of an earlier state counts as a resend, in milliseconds. @default 600000 */
  readonly duplicateWindowMs: number;
  /** Recent state fingerprints kept per task. @default 8 */
  readonly recentStatesPerTask: number;
  /** Deleted ids remembered at once. @default 100000 */
  readonly maxTombstones: number;
  /** Frames kept per task. @default 10000 */
  readonly maxFramesPerTask?: number;
  /** Frames kept in total for tasks not cached yet. @default 10000 */
  readonly maxPendingFrames?: number;
  readonly onEvict?: (reason: EvictionReason) => void;
  readonly onTombstoneDrop?: (reason: TombstoneDropReason) => void;
  readonly onFrameLimit?: (limit: FrameLimit, taskId: number) => void;
}

/** Default of both frame limits. */
export const DEFAULT_FRAME_LIMIT = 10_000;

/** The bounded, stateful heart of the relay: no I/O, time passed in. */
export class TaskStore {
  readonly cache: TaskCache;
  readonly tombstones: Tombstones;
  /** Frame tables of cached tasks, and frames waiting for their task. */
  readonly frames: FrameStore;
  /** Recent payments, for duplicate detection. */
  readonly payments: PaymentLedger;
  readonly #options: TaskStoreOptions;

  constructor(options: TaskStoreOptions) {
    this.#options = options;
    this.cache = new TaskCache({
      maxTasks: options.maxTasks,
      maxBytes: options.maxBytes,
      finishedTtlMs: options.retentionMs,
      onEvict: (reason, entry) => {
        this.frames.remove(entry.task.id);
        options.onEvict?.(reason);
      },
    });
    this.frames = new FrameStore({
      maxFramesPerTask: options.maxFramesPerTask ?? DEFAULT_FRAME_LIMIT,
      maxPendingFrames: options.maxPendingFrames ?? DEFAULT_FRAME_LIMIT,
      duplicateWindowMs: options.duplicateWindowMs,
      onLimit: (limit, taskId) => options.onFrameLimit?.(limit, taskId),
    });
    this.payments = new PaymentLedger({ duplicateWindowMs: options.duplicateWindowMs });
    this.tombstones = new Tombstones({
      maxTombstones: options.maxTombstones,
      ttlMs: options.retentionMs,
      onDrop: (reason) => options.onTombstoneDrop?.(reason),
    });
  }

  /** Applies a task from a callback at time `nowMs` (Unix milliseconds). */
  apply(task: Task, kind: CallbackKind, nowMs: number): ApplyOutcome {
    if (this.tombstones.has(task.id, nowMs)) return { kind: 'stale', reason: 'deleted' };

    const isDelete = kind === 'delete' || task.action === Action.DELETE;
    if (isDelete) return this.#delete(task, nowMs);

    const before = this.cache.get(task.id);
    const fingerprint = fingerprintTask(task);

    if (before === undefined) {
      const after = this.#entry(task, fingerprint, [], nowMs);
      this.cache.put(after);
      this.frames.attach(task.id);
      return { kind: 'created', after };
    }

    const latest = before.recentStates.at(-1);
    if (latest?.fingerprint === fingerprint) return { kind: 'duplicate' };

    // NOTE: a real return to an identical earlier state (paused, then resumed with no new
    // progress) is also ignored here. The next progress update corrects it, whereas applying a
    // late resend would show a paused task as rendering until it changed again.
    if (seenRecently(before.recentStates, fingerprint, nowMs, this.#options.duplicateWindowMs)) {
      return { kind: 'stale', reason: 'earlier-state-resent' };
    }

    const reason = staleReason(before.task, task);
    if (reason !== null) return { kind: 'stale', reason };

    // A later StartTime is a re-render: the frames of the previous run no longer describe it,
    // and keeping them would make the new run's frames, which start again from 0, look stale.
    if (task.startTime > before.task.startTime) this.frames.remove(task.id);

    const after = this.#entry(task, fingerprint, before.recentStates, nowMs);
    this.cache.put(after);
    return { kind: 'updated', before, after };
  }

  /**
   * Applies a frame from a callback at time `nowMs`. Frames of a task deleted recently are
   * stale; frames of a task not cached yet wait in the pending area.
   */
  applyFrame(frame: Frame, nowMs: number): FrameApplyOutcome {
    const taskId = frame.renderTaskId;
    if (this.tombstones.has(taskId, nowMs)) return { kind: 'stale', reason: 'deleted' };

    const task = this.cache.get(taskId);
    if (task === undefined) return this.frames.applyPending(frame, nowMs);

    const outcome = this.frames.applyAttached(frame, nowMs);
    if (outcome.kind === 'created' || outcome.kind === 'updated') return { ...outcome, task };
    return outcome;
  }

  /** Evicts finished tasks and drops tombstones older than the retention time. */
  expire(nowMs: number): void {
    this.cache.expire(nowMs);
    this.tombstones.expire(nowMs);
  }

  #delete(task: Task, nowMs: number): ApplyOutcome {
    const before = this.cache.delete(task.id);
    this.frames.remove(task.id);
    this.tombstones.add(task.id, nowMs);

    const after: CachedTask = { task, updatedAt: nowMs, recentStates: [], bytes: 0 };
    return { kind: 'deleted', before, after };
  }

  #entry(
    task: Task,
    fingerprint: string,
    ring: CachedTask['recentStates'],
    nowMs: number,
  ): CachedTask {
    const recentStates = rememberState(ring, fingerprint, nowMs, this.#options.recentStatesPerTask);
    return {
      task,
      updatedAt: nowMs,
      recentStates,
      bytes: estimateEntryBytes(task, recentStates.length),
    };
  }
}

/**
 * The task store: applies one callback's task to the cache and classifies what happened.
 *
 * Outcomes:
 * - `created`, `updated`, `deleted`: a real change, to be published as an event;
 * - `duplicate`: the same state as the cached one, or as one seen within the duplicate window;
 * - `stale`: an older state (see progress.ts), or any update of a task deleted recently.
 * Duplicates and stale states change nothing and publish nothing.
 */
import { Action } from '../protocol/status.js';
import type { Task } from '../protocol/task-schema.js';
import { fingerprintTask, rememberState, seenRecently } from './fingerprint.js';
import { staleReason } from './progress.js';
import {
  type CachedTask,
  type EvictionReason,
  estimateEntryBytes,
  TaskCache,
} from './task-cache.js';
import { type TombstoneDropReason, Tombstones } from './tombstones.js';

/** Which callback route brought the task. */
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
  readonly onEvict?: (reason: EvictionReason) => void;
  readonly onTombstoneDrop?: (reason: TombstoneDropReason) => void;
}

/** The bounded, stateful heart of the relay: no I/O, time passed in. */
export class TaskStore {
  readonly cache: TaskCache;
  readonly tombstones: Tombstones;
  readonly #options: TaskStoreOptions;

  constructor(options: TaskStoreOptions) {
    this.#options = options;
    this.cache = new TaskCache({
      maxTasks: options.maxTasks,
      maxBytes: options.maxBytes,
      finishedTtlMs: options.retentionMs,
      onEvict: (reason) => options.onEvict?.(reason),
    });
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

    const after = this.#entry(task, fingerprint, before.recentStates, nowMs);
    this.cache.put(after);
    return { kind: 'updated', before, after };
  }

  /** Evicts finished tasks and forgets deletions past the retention time. */
  expire(nowMs: number): void {
    this.cache.expire(nowMs);
    this.tombstones.expire(nowMs);
  }

  #delete(task: Task, nowMs: number): ApplyOutcome {
    const before = this.cache.delete(task.id);
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

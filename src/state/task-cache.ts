/**
 * The bounded task cache: the latest state of each task, least recently updated first.
 *
 * Three limits apply: a count of tasks, an estimate of the bytes they hold, and an age for
 * tasks that are finished (done or failed), which will not change again unless re-rendered.
 * Pure logic: time comes in as an argument and evictions are reported through `onEvict`.
 */
import { isFinished } from '../protocol/status.js';
import type { Task } from '../protocol/task-schema.js';
import type { SeenState } from './fingerprint.js';

/** A cached task with the relay's own bookkeeping. */
export interface CachedTask {
  readonly task: Task;
  /** When the relay last accepted a change of this task, Unix milliseconds. */
  readonly updatedAt: number;
  /** Fingerprints of recent states, newest last, for duplicate detection. */
  readonly recentStates: readonly SeenState[];
  /** Estimated memory held by this entry, in bytes. */
  readonly bytes: number;
}

/** The reason a task left the cache without a delete callback. */
export type EvictionReason = 'count' | 'bytes' | 'expired';

export interface TaskCacheOptions {
  /** Tasks kept at once. */
  readonly maxTasks: number;
  /** Estimated bytes kept at once. */
  readonly maxBytes: number;
  /** How long a finished task stays after its last update, in milliseconds. */
  readonly finishedTtlMs: number;
  readonly onEvict?: (reason: EvictionReason, entry: CachedTask) => void;
}

// Fixed per-task cost of the object, its numbers and map slot: an estimate, not a measurement.
const TASK_OVERHEAD_BYTES = 600;
const FILE_OVERHEAD_BYTES = 120;
const FINGERPRINT_BYTES = 80;

/** Estimates the memory a task's entry holds, in bytes. Strings count two bytes a character. */
export function estimateEntryBytes(task: Task, recentStates: number): number {
  let bytes = TASK_OVERHEAD_BYTES + recentStates * FINGERPRINT_BYTES;
  bytes +=
    2 * (task.name.length + task.ownerName.length + task.renderZipFile.length + task.camera.length);

  for (const file of task.renderOutputFiles) bytes += FILE_OVERHEAD_BYTES + 2 * file.name.length;

  if (Object.keys(task.extra).length > 0) bytes += 2 * JSON.stringify(task.extra).length;
  return bytes;
}

/** The cache itself. Map insertion order is update order, so the first entry is the eviction candidate. */
export class TaskCache {
  readonly #entries = new Map<number, CachedTask>();
  // Finished tasks by the time they finished, oldest first, so expiry never scans live tasks.
  readonly #finished = new Map<number, number>();
  readonly #options: TaskCacheOptions;
  #bytes = 0;

  constructor(options: TaskCacheOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Estimated bytes held by all entries. */
  get bytes(): number {
    return this.#bytes;
  }

  get(id: number): CachedTask | undefined {
    return this.#entries.get(id);
  }

  /** Iterates the entries, least recently updated first. */
  values(): IterableIterator<CachedTask> {
    return this.#entries.values();
  }

  /** Stores an entry as the most recently updated, then evicts until the cache is within every limit again. */
  put(entry: CachedTask): void {
    this.delete(entry.task.id);

    this.#entries.set(entry.task.id, entry);
    this.#bytes += entry.bytes;
    if (isFinished(entry.task.status)) this.#finished.set(entry.task.id, entry.updatedAt);

    this.#evictOverLimits(entry.task.id);
  }

  /** Removes a task; returns the entry it held. */
  delete(id: number): CachedTask | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;

    this.#entries.delete(id);
    this.#finished.delete(id);
    this.#bytes -= entry.bytes;
    return entry;
  }

  /** Evicts finished tasks whose last update is older than the finished-task time limit. */
  expire(nowMs: number): void {
    for (const [id, finishedAtMs] of this.#finished) {
      if (nowMs - finishedAtMs < this.#options.finishedTtlMs) return;

      const entry = this.delete(id);
      if (entry !== undefined) this.#options.onEvict?.('expired', entry);
    }
  }

  // The entry just stored is kept even when it alone passes the byte limit: dropping the update
  // that was just accepted would lose it silently, while the rest of the cache can give way.
  #evictOverLimits(keepId: number): void {
    while (this.#entries.size > this.#options.maxTasks || this.#bytes > this.#options.maxBytes) {
      const reason: EvictionReason =
        this.#entries.size > this.#options.maxTasks ? 'count' : 'bytes';
      const oldest = this.#entries.values().next().value as CachedTask;
      if (oldest.task.id === keepId) return;

      this.delete(oldest.task.id);
      this.#options.onEvict?.(reason, oldest);
    }
  }
}

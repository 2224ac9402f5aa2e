/**
 * The latest known fields of each task, merged from the events the bridge receives, so a message
 * can show frame counts and charges that the status change itself does not carry. The source's
 * own task map (the SDK keeps one, filled from snapshots) is read for tasks seen before the
 * bridge started.
 */
import type { RelayEvent } from '../events/event.js';
import type { TaskFields } from './source.js';

/** Tasks remembered at most; the least recently changed go first. @default 10000 */
const DEFAULT_MAX_TASKS = 10_000;

export class TaskFacts {
  readonly #fields = new Map<number, Record<string, unknown>>();
  readonly #maxTasks: number;

  constructor(maxTasks = DEFAULT_MAX_TASKS) {
    this.#maxTasks = maxTasks;
  }

  /** Merges an event's changes into its task, and removes deleted tasks. */
  apply(event: RelayEvent, known: TaskFields | undefined): void {
    const id = event.task.id;
    if (event.type === 'task.deleted') {
      this.#fields.delete(id);
      return;
    }
    if (event.type !== 'task.created' && event.type !== 'task.updated') return;

    const merged = { ...known, ...this.#fields.get(id), ...event.changes };
    // Delete before set, so the map's order is the order of last change.
    this.#fields.delete(id);
    this.#fields.set(id, merged);
    if (this.#fields.size > this.#maxTasks) {
      const oldest = this.#fields.keys().next().value;
      if (oldest !== undefined) this.#fields.delete(oldest);
    }
  }

  /** Returns the merged fields of a task. */
  get(id: number): TaskFields | undefined {
    return this.#fields.get(id);
  }
}

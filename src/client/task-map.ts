/**
 * The client's copy of the tasks its subscription matches: a snapshot, then every event applied
 * as a diff, so it stays equal to what `GET /api/tasks` returns for the same filter.
 */
import type { FrameEventDraft, RelayEvent } from '../events/event.js';
import type { TaskView } from '../events/task-view.js';
import { statusName } from '../protocol/status.js';

/** The part of the subscription filter that decides whether a task stays in the map. */
export interface TaskMapFilter {
  readonly statuses?: readonly number[];
}

/** Tasks by id, kept current from a snapshot and the events that follow it. */
export class TaskMap {
  readonly #tasks = new Map<number, TaskView>();
  readonly #statuses: ReadonlySet<number> | undefined;

  constructor(filter: TaskMapFilter = {}) {
    const statuses = filter.statuses ?? [];
    this.#statuses = statuses.length === 0 ? undefined : new Set(statuses);
  }

  /** The tasks by id; the views are replaced, never mutated, when an event changes them. */
  get view(): ReadonlyMap<number, TaskView> {
    return this.#tasks;
  }

  /** Replaces every task with a snapshot from a `subscribed` reply. */
  replace(snapshot: readonly TaskView[]): void {
    this.#tasks.clear();
    for (const task of snapshot) this.#tasks.set(task.id, task);
  }

  /** Applies one event's diff. Charges change no task field and are ignored here. */
  apply(event: RelayEvent): void {
    switch (event.type) {
      case 'task.created':
        this.#keep(createdView(event));
        return;
      case 'task.updated':
        this.#update(event);
        return;
      case 'task.deleted':
        this.#tasks.delete(event.task.id);
        return;
      case 'frame.updated':
        this.#countFrame(event);
        return;
      case 'task.charged':
        return;
    }
  }

  #update(event: RelayEvent): void {
    const before = this.#tasks.get(event.task.id);
    // NOTE: a task that enters a status filter arrives as an update carrying only the changed
    // fields, so it cannot be built here. It stays out of the map until the next snapshot.
    if (before === undefined) return;

    const after: TaskView = {
      ...before,
      ...(event.changes as Partial<TaskView>),
      updatedAt: event.at,
      outputFileCount: before.outputFileCount + event.outputFilesAdded.length,
    };
    after.statusName = statusName(after.status);
    // The relay drops a task's frames when a later StartTime starts a new run.
    if (after.startTime > before.startTime) after.frameStatusCounts = {};
    this.#keep(after);
  }

  /** Moves one frame between status counts, as the relay's frame table does. */
  #countFrame(event: FrameEventDraft & { at: number }): void {
    const before = this.#tasks.get(event.task.id);
    if (before === undefined) return;

    const counts = { ...before.frameStatusCounts };
    const previousStatus = event.previous.status;
    const isNewFrame = Object.keys(event.previous).length === 0;
    if (typeof previousStatus === 'number') addCount(counts, previousStatus, -1);
    if (typeof previousStatus === 'number' || isNewFrame) addCount(counts, event.frame.status, 1);
    this.#tasks.set(before.id, { ...before, frameStatusCounts: counts });
  }

  /** Stores a task, or drops it when it left the status filter (the relay still announces that move). */
  #keep(task: TaskView): void {
    if (this.#statuses !== undefined && !this.#statuses.has(task.status)) {
      this.#tasks.delete(task.id);
      return;
    }
    this.#tasks.set(task.id, task);
  }
}

/** Builds a task from a `task.created` event, whose `changes` hold every field but the id. */
function createdView(event: RelayEvent): TaskView {
  const fields = event.changes as Omit<TaskView, 'id'>;
  return {
    ...fields,
    id: event.task.id,
    // `extra` is left out of `changes` when it is empty.
    extra: fields.extra ?? {},
    statusName: statusName(fields.status),
    updatedAt: event.at,
    outputFileCount: event.outputFilesAdded.length,
    frameStatusCounts: {},
  };
}

function addCount(counts: Record<string, number>, status: number, delta: number): void {
  const key = String(status);
  const count = (counts[key] ?? 0) + delta;
  if (count <= 0) delete counts[key];
  else counts[key] = count;
}

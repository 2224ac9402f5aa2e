/**
 * The task ingest pipeline: body text → canonical task → cache → event. One function, so the
 * HTTP route, tests and benchmarks all take the same path.
 */
import { draftsFromOutcome } from '../events/draft.js';
import type { EventLog, PublishedEvent } from '../events/event-log.js';
import { readTask } from '../protocol/read-task.js';
import type { ApplyOutcome, CallbackKind, TaskStore } from '../state/task-store.js';

export interface IngestDeps {
  readonly store: TaskStore;
  readonly log: EventLog;
  readonly onExtraKeysDropped?: (count: number) => void;
}

/** The result of one accepted callback. */
export interface IngestResult {
  readonly taskId: number;
  readonly outcome: ApplyOutcome['kind'];
  /** The rule a stale callback broke. */
  readonly staleReason?: string;
  /** The last event published, when the callback changed something (a move to another owner publishes two). */
  readonly published?: PublishedEvent;
}

/**
 * Reads, applies and publishes one task callback.
 *
 * @throws RelayError when the body cannot be read as a task; the cache is then unchanged.
 */
export function acceptTaskCallback(
  deps: IngestDeps,
  kind: CallbackKind,
  text: string,
  nowMs: number,
): IngestResult {
  const { task, droppedExtraKeys } = readTask(text);
  if (droppedExtraKeys > 0) deps.onExtraKeysDropped?.(droppedExtraKeys);

  const outcome = deps.store.apply(task, kind, nowMs);
  const drafts = draftsFromOutcome(outcome);

  if (drafts.length === 0) {
    const staleReason = outcome.kind === 'stale' ? outcome.reason : undefined;
    return {
      taskId: task.id,
      outcome: outcome.kind,
      ...(staleReason === undefined ? {} : { staleReason }),
    };
  }

  let published: PublishedEvent | undefined;
  for (const draft of drafts) published = deps.log.publish(draft, nowMs);
  return { taskId: task.id, outcome: outcome.kind, published };
}

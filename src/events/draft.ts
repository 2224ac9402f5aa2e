/**
 * Turns the task store's outcome into the event that describes it.
 */
import type { ApplyOutcome } from '../state/task-store.js';
import { diffTasks } from './diff.js';
import { type EventDraft, identityOf, type TaskEventType } from './event.js';

const EVENT_TYPES = {
  created: 'task.created',
  updated: 'task.updated',
  deleted: 'task.deleted',
} as const;

/** Builds the event draft for a real change; returns `null` for duplicates and stale states. */
export function draftFromOutcome(outcome: ApplyOutcome): EventDraft | null {
  if (outcome.kind === 'duplicate' || outcome.kind === 'stale') return null;

  const type: TaskEventType = EVENT_TYPES[outcome.kind];
  const before = outcome.kind === 'created' ? undefined : outcome.before?.task;
  const diff = diffTasks(before, outcome.after.task);

  // A delete announces the removal; the files of a task that is gone are no news.
  if (outcome.kind === 'deleted') diff.outputFilesAdded = [];

  return { type, task: identityOf(outcome.after.task), ...diff };
}

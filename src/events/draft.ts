/**
 * Turns the task store's outcome into the events that describe it.
 */
import type { ApplyOutcome } from '../state/task-store.js';
import { diffTasks } from './diff.js';
import { type EventDraft, identityOf, type TaskEventType } from './event.js';

const EVENT_TYPES = {
  created: 'task.created',
  updated: 'task.updated',
  deleted: 'task.deleted',
} as const;

/**
 * Builds the event drafts for a real change: none for duplicates and stale states, one for most
 * changes. A task that moves to another owner or agency becomes two events, a delete under its
 * old identity and a create under the new one. Subscribers scoped to the old owner then learn
 * that it left, and those scoped to the new owner never see the old owner in `previous`.
 */
export function draftsFromOutcome(outcome: ApplyOutcome): EventDraft[] {
  if (outcome.kind === 'duplicate' || outcome.kind === 'stale') return [];

  const after = outcome.after.task;
  const before = outcome.kind === 'created' ? undefined : outcome.before?.task;

  if (outcome.kind === 'updated' && before !== undefined && movedOwnership(before, after)) {
    const left: EventDraft = {
      type: 'task.deleted',
      task: identityOf(before),
      changes: {},
      previous: {},
      outputFilesAdded: [],
    };
    return [
      left,
      { type: 'task.created', task: identityOf(after), ...diffTasks(undefined, after) },
    ];
  }

  const type: TaskEventType = EVENT_TYPES[outcome.kind];
  const diff = diffTasks(before, after);

  // A delete announces the removal; the files of a task that is gone are no news.
  if (outcome.kind === 'deleted') diff.outputFilesAdded = [];

  return [{ type, task: identityOf(after), ...diff }];
}

function movedOwnership(
  before: { owner: number; agencyUserId: number },
  after: { owner: number; agencyUserId: number },
): boolean {
  return before.owner !== after.owner || before.agencyUserId !== after.agencyUserId;
}

/**
 * Subscription filters and how they match events and tasks. Fields combine with AND, values
 * within one field with OR, and an absent field matches everything. The scope, when present,
 * applies on top of every other field.
 */
import { type Scope, scopeAllows } from '../access/scope.js';
import type { RelayEvent } from '../events/event.js';
import type { Task } from '../protocol/task-schema.js';

export interface SubscriptionFilter {
  readonly owners?: ReadonlySet<number>;
  readonly agencies?: ReadonlySet<number>;
  readonly statuses?: ReadonlySet<number>;
  readonly taskIds?: ReadonlySet<number>;
  /** Whether the subscriber wants per-frame events. */
  readonly frames: boolean;
  /** The scope of the subscriber's token; absent means everything. */
  readonly scope?: Scope;
}

/**
 * Reports whether an event matches. A status filter matches a task entering or leaving one of
 * its statuses, so a subscriber to "rendering" also receives the task finishing. Frame events
 * reach only filters with `frames`, and their status filter applies to the task's status.
 */
export function matchesEvent(filter: SubscriptionFilter, event: RelayEvent): boolean {
  if (event.type === 'frame.updated' && !filter.frames) return false;

  const task = event.task;
  if (!matchesIdentity(filter, task.id, task.owner, task.agencyUserId)) return false;
  if (filter.statuses === undefined) return true;
  if (filter.statuses.has(task.status)) return true;
  // On a frame event, `previous.status` is the frame's former status, not the task's.
  if (event.type === 'frame.updated') return false;

  const previousStatus = event.previous.status;
  return typeof previousStatus === 'number' && filter.statuses.has(previousStatus);
}

/** Reports whether a cached task matches, for snapshots and lists. */
export function matchesTask(filter: SubscriptionFilter, task: Task): boolean {
  if (!matchesIdentity(filter, task.id, task.owner, task.agencyUserId)) return false;
  return filter.statuses === undefined || filter.statuses.has(task.status);
}

function matchesIdentity(
  filter: SubscriptionFilter,
  id: number,
  owner: number,
  agency: number,
): boolean {
  if (filter.scope !== undefined && !scopeAllows(filter.scope, owner, agency)) return false;
  if (filter.owners !== undefined && !filter.owners.has(owner)) return false;
  if (filter.agencies !== undefined && !filter.agencies.has(agency)) return false;
  if (filter.taskIds !== undefined && !filter.taskIds.has(id)) return false;
  return true;
}

/**
 * The model behind the scope property: the visibility and rejection rules written out
 * independently of the relay's matching code, and a Hub wired to a real TaskStore and
 * InMemoryEventLog with in-memory peers.
 */
import type { Scope } from '../../src/access/scope.js';
import type { RelayEvent } from '../../src/events/event.js';
import { InMemoryEventLog } from '../../src/events/event-log.js';
import type { TaskView } from '../../src/events/task-view.js';
import type { SubscriptionFilter } from '../../src/fanout/filter.js';
import { Hub, type Peer } from '../../src/fanout/hub.js';
import { silentLogger } from '../../src/observability/log.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { TaskStore } from '../../src/state/task-store.js';

export const OWNERS = [1, 2, 3];
export const AGENCIES = [10, 20, 30];
/** Values no task carries, so filters can name owners and agencies with no tasks. */
export const FOREIGN_OWNER = 4;
export const FOREIGN_AGENCY = 40;
export const TASK_COUNT = 6;
export const MAX_SUBSCRIPTIONS_PER_CLIENT = 3;

/** An in-memory transport: keeps every event frame, never backs up. */
export class MemoryPeer implements Peer {
  readonly transport = 'ws' as const;
  readonly bufferedAmount = 0;
  readonly events: RelayEvent[] = [];

  send(frame: Buffer): void {
    this.events.push(JSON.parse(frame.toString()) as RelayEvent);
  }

  close(): void {}
}

export interface FilterLists {
  readonly owners?: readonly number[];
  readonly agencies?: readonly number[];
  readonly statuses?: readonly number[];
  readonly taskIds?: readonly number[];
}

export interface ScopeLists {
  readonly admin: boolean;
  readonly owners: readonly number[];
  readonly agencies: readonly number[];
}

function toSet(values: readonly number[] | undefined): ReadonlySet<number> | undefined {
  return values === undefined ? undefined : new Set(values);
}

export function toFilter(lists: FilterLists): SubscriptionFilter {
  return {
    owners: toSet(lists.owners),
    agencies: toSet(lists.agencies),
    statuses: toSet(lists.statuses),
    taskIds: toSet(lists.taskIds),
    frames: false,
  };
}

export function toScope(lists: ScopeLists): Scope {
  return { admin: lists.admin, owners: new Set(lists.owners), agencies: new Set(lists.agencies) };
}

/** Reports whether a task is visible: the scope is admin, or names the task's owner or agency. */
export function visible(scope: ScopeLists, owner: number, agency: number): boolean {
  return scope.admin || scope.owners.includes(owner) || scope.agencies.includes(agency);
}

/**
 * Reports whether the scope rejects the filter: an owner outside an owners-only scope, or an agency outside an
 * agencies-only scope. A scope naming neither forbids every owner and agency filter.
 */
export function forbidden(scope: ScopeLists, filter: FilterLists): boolean {
  if (scope.admin) return false;
  const outsideOwner = (filter.owners ?? []).some((owner) => !scope.owners.includes(owner));
  const outsideAgency = (filter.agencies ?? []).some((agency) => !scope.agencies.includes(agency));
  if (scope.agencies.length === 0 && outsideOwner) return true;
  return scope.owners.length === 0 && outsideAgency;
}

export function describeScope(scope: ScopeLists): string {
  return `scope ${JSON.stringify(scope)}`;
}

export function identityMatches(
  filter: FilterLists,
  id: number,
  owner: number,
  agency: number,
): boolean {
  if (filter.owners !== undefined && !filter.owners.includes(owner)) return false;
  if (filter.agencies !== undefined && !filter.agencies.includes(agency)) return false;
  return filter.taskIds === undefined || filter.taskIds.includes(id);
}

/** Reports whether an event is due: its task matches, and so does its status or previous status. */
export function eventExpected(scope: ScopeLists, filter: FilterLists, event: RelayEvent): boolean {
  const { id, owner, agencyUserId, status } = event.task;
  if (!visible(scope, owner, agencyUserId)) return false;
  if (!identityMatches(filter, id, owner, agencyUserId)) return false;
  if (filter.statuses === undefined || filter.statuses.includes(status)) return true;
  const previousStatus = event.previous.status;
  return typeof previousStatus === 'number' && filter.statuses.includes(previousStatus);
}

export function taskExpected(
  scope: ScopeLists,
  filter: FilterLists,
  task: Pick<TaskView, 'id' | 'owner' | 'agencyUserId' | 'status'>,
): boolean {
  if (!visible(scope, task.owner, task.agencyUserId)) return false;
  if (!identityMatches(filter, task.id, task.owner, task.agencyUserId)) return false;
  return filter.statuses === undefined || filter.statuses.includes(task.status);
}

export interface World {
  readonly hub: Hub;
  readonly log: InMemoryEventLog;
  readonly store: TaskStore;
}

export function createWorld(historyEvents: number): World {
  const log = new InMemoryEventLog({ maxEvents: historyEvents, maxBytes: 1 << 30 });
  const store = new TaskStore({
    maxTasks: 20,
    maxBytes: 1 << 24,
    retentionMs: 3_600_000,
    duplicateWindowMs: 600_000,
    recentStatesPerTask: 8,
    maxTombstones: 100,
  });
  const hub = new Hub({
    store,
    log,
    metrics: createMetrics(zeroProbes),
    logger: silentLogger(),
    maxBufferedBytes: 1 << 24,
    maxSubscriptionsPerConnection: MAX_SUBSCRIPTIONS_PER_CLIENT + 1,
    maxSnapshotTasks: 100,
    onLimit: () => {},
  });
  return { hub, log, store };
}

const zeroProbes = {
  cacheTasks: () => 0,
  cacheBytes: () => 0,
  tombstones: () => 0,
  historyEvents: () => 0,
  historyBytes: () => 0,
  connections: () => 0,
  subscriptions: () => 0,
};

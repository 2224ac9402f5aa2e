/**
 * A notice: one task status change that a robot posts, with the task fields its message shows.
 */
import type { RelayEvent } from '../events/event.js';
import type { TaskFields } from './source.js';

export interface Notice {
  /** `epoch:seq` of the event, the dedupe key. */
  readonly key: string;
  /** When the relay accepted the change, Unix milliseconds. */
  readonly at: number;
  readonly id: number;
  readonly name: string;
  readonly owner: number;
  readonly ownerName: string;
  readonly agencyUserId: number;
  readonly status: number;
  /** Absent on a task's first event. */
  readonly previousStatus?: number;
  readonly frameCount: number;
  readonly frameCompleted: number;
  /** Charge of the task as the platform reports it (`Gross`); the unit is not documented. */
  readonly gross: number;
  readonly lightJobGross: number;
}

/** Reports whether an event changes a task's status into one of `notify`. */
export function isStatusChange(event: RelayEvent, notify: ReadonlySet<number>): boolean {
  if (event.type !== 'task.created' && event.type !== 'task.updated') return false;
  const status = event.changes.status;
  return typeof status === 'number' && notify.has(status);
}

/**
 * Builds the notice of an event. Counts and charges that the event does not change come from
 * `fields`, the latest known state of the task. A field found in neither reads as 0.
 */
export function noticeOf(event: RelayEvent, fields: TaskFields | undefined): Notice {
  const number = (key: string): number => {
    const value = event.changes[key] ?? fields?.[key];
    return typeof value === 'number' ? value : 0;
  };
  const previousStatus = event.previous.status;

  return {
    key: `${event.epoch}:${event.seq}`,
    at: event.at,
    id: event.task.id,
    name: event.task.name,
    owner: event.task.owner,
    ownerName: event.task.ownerName,
    agencyUserId: event.task.agencyUserId,
    status: event.task.status,
    ...(typeof previousStatus === 'number' ? { previousStatus } : {}),
    frameCount: number('frameCount'),
    frameCompleted: number('frameCompleted'),
    gross: number('gross'),
    lightJobGross: number('lightJobGross'),
  };
}

/**
 * The event model: what subscribers receive for each accepted change.
 */
import { type StatusName, statusName } from '../protocol/status.js';
import type { OutputFile, Task } from '../protocol/task-schema.js';

export type TaskEventType = 'task.created' | 'task.updated' | 'task.deleted';

/** The fields that identify a task in every event, enough to route and to print a line. */
export interface TaskIdentity {
  id: number;
  name: string;
  owner: number;
  ownerName: string;
  agencyUserId: number;
  status: number;
  statusName: StatusName;
}

/** An event before the log numbers it. */
export interface EventDraft {
  type: TaskEventType;
  task: TaskIdentity;
  /** Changed fields, new values. On `task.created`, every field but the file list. */
  changes: Record<string, unknown>;
  /** The old values of the same fields; empty on `task.created`. */
  previous: Record<string, unknown>;
  /** Output files that are new in this state, never the whole list again. */
  outputFilesAdded: OutputFile[];
}

/** A numbered event: `seq` rises by one per event within an `epoch`. */
export interface RelayEvent extends EventDraft {
  seq: number;
  epoch: string;
  /** When the relay accepted the change, Unix milliseconds. */
  at: number;
}

/** Returns a task's identity fields. */
export function identityOf(task: Task): TaskIdentity {
  return {
    id: task.id,
    name: task.name,
    owner: task.owner,
    ownerName: task.ownerName,
    agencyUserId: task.agencyUserId,
    status: task.status,
    statusName: statusName(task.status),
  };
}

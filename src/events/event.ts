/**
 * The event model: what subscribers receive for each accepted change.
 */
import { type StatusName, statusName } from '../protocol/status.js';
import type { OutputFile, Task } from '../protocol/task-schema.js';

export type TaskEventType = 'task.created' | 'task.updated' | 'task.deleted';

/** Every event type: the task's own changes, a frame's change, and a charge. */
export type EventType = TaskEventType | 'frame.updated' | 'task.charged';

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

/**
 * The fields every event carries, so a client can read any event the same way. On
 * `frame.updated` they describe the frame, and on `task.charged` they are empty.
 */
interface DraftFields {
  task: TaskIdentity;
  /** Changed fields, new values. On `task.created`, every field but the file list. */
  changes: Record<string, unknown>;
  /** The old values of the same fields; empty on `task.created`. */
  previous: Record<string, unknown>;
  /** Output files that are new in this state, never the whole list again. */
  outputFilesAdded: OutputFile[];
}

/** A change of the task itself. */
export interface TaskEventDraft extends DraftFields {
  type: TaskEventType;
}

/** The state of one frame as a `frame.updated` event shows it. */
export interface FrameSummary {
  index: number;
  id: number;
  status: number;
  /** Name from the task status table, an assumption: the platform documents no frame statuses. */
  statusName: StatusName;
  /** Core-seconds. */
  renderTimeThread: number;
  gross: number;
  lightJobGross: number;
  lightJobStatus: number;
  fileCount: number;
}

/** A change of one frame; `task` is the identity of the cached task it belongs to. */
export interface FrameEventDraft extends DraftFields {
  type: 'frame.updated';
  frame: FrameSummary;
}

/** The charge a payment callback reports. */
export interface Charge {
  renderTaskId: number;
  /** `null` when the charge is for the whole task. */
  frameIndex: number | null;
  gross: number;
  lightJobGross: number;
  /** Whether the platform reported the task as deleted. */
  deleted: boolean;
}

/** A charge of a task or of one of its frames. */
export interface ChargeEventDraft extends DraftFields {
  type: 'task.charged';
  charge: Charge;
}

/** An event before the log numbers it. */
export type EventDraft = TaskEventDraft | FrameEventDraft | ChargeEventDraft;

/** The numbering the log adds: `seq` rises by one per event within an `epoch`. */
export interface EventPosition {
  seq: number;
  epoch: string;
  /** When the relay accepted the change, Unix milliseconds. */
  at: number;
}

/** A numbered event. */
export type RelayEvent = EventDraft & EventPosition;

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

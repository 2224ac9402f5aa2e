/**
 * Builds the `frame.updated` and `task.charged` events. Both carry the identity of the task
 * from the cache, because the platform sends 0 as the frame's Owner and AgencyUserID.
 */
import type { Frame } from '../protocol/frame-schema.js';
import type { Payment } from '../protocol/payment-schema.js';
import { statusName } from '../protocol/status.js';
import type { CachedTask } from '../state/task-cache.js';
import type { FrameApplyOutcome } from '../state/task-store.js';
import { addedFiles } from './diff.js';
import {
  type ChargeEventDraft,
  type FrameEventDraft,
  type FrameSummary,
  identityOf,
  type TaskIdentity,
} from './event.js';

type FrameScalarField = Exclude<
  keyof Frame,
  'files' | 'owner' | 'ownerName' | 'agencyUserId' | 'renderTaskId' | 'frameIndex'
>;

const FRAME_SCALAR_FIELDS: readonly FrameScalarField[] = [
  'id',
  'status',
  'renderTimeThread',
  'gross',
  'type',
  'action',
  'lightJobGross',
  'lightJobRenderTimeThread',
  'lightJobStatus',
];

/** Builds the event of a frame change; returns `null` for every outcome without one. */
export function draftFromFrameOutcome(outcome: FrameApplyOutcome): FrameEventDraft | null {
  if (outcome.kind !== 'created' && outcome.kind !== 'updated') return null;

  const before = outcome.kind === 'updated' ? outcome.before.frame : undefined;
  const after = outcome.after.frame;
  const changes: Record<string, unknown> = {};
  const previous: Record<string, unknown> = {};

  for (const field of FRAME_SCALAR_FIELDS) {
    if (before !== undefined && before[field] === after[field]) continue;

    changes[field] = after[field];
    if (before !== undefined) previous[field] = before[field];
  }

  return {
    type: 'frame.updated',
    task: identityOf(outcome.task.task),
    frame: summarizeFrame(after),
    changes,
    previous,
    outputFilesAdded: addedFiles(before?.files ?? [], after.files),
  };
}

/** Returns the frame fields an event shows. */
export function summarizeFrame(frame: Frame): FrameSummary {
  return {
    index: frame.frameIndex,
    id: frame.id,
    status: frame.status,
    statusName: statusName(frame.status),
    renderTimeThread: frame.renderTimeThread,
    gross: frame.gross,
    lightJobGross: frame.lightJobGross,
    lightJobStatus: frame.lightJobStatus,
    fileCount: frame.files.length,
  };
}

/**
 * Builds the event of a payment. The identity comes from the cached task when there is one,
 * else from the payment's own fields (without a task name, which payments do not carry).
 */
export function draftFromPayment(
  payment: Payment,
  cached: CachedTask | undefined,
): ChargeEventDraft {
  return {
    type: 'task.charged',
    task: cached === undefined ? identityOfPayment(payment) : identityOf(cached.task),
    charge: {
      renderTaskId: payment.renderTaskId,
      frameIndex: payment.frameIndex,
      gross: payment.gross,
      lightJobGross: payment.lightJobGross,
      deleted: payment.deleted,
    },
    changes: {},
    previous: {},
    outputFilesAdded: [],
  };
}

function identityOfPayment(payment: Payment): TaskIdentity {
  return {
    id: payment.renderTaskId,
    name: '',
    owner: payment.owner,
    ownerName: payment.ownerName,
    agencyUserId: payment.agencyUserId,
    status: payment.status,
    statusName: statusName(payment.status),
  };
}

/**
 * The payment callback (`paymentinfo`): what a task, or one frame of it, cost.
 *
 * Only the dealer's billing system can reply to it (with the price charged to the user and the
 * user's balance), so the relay reads it to announce the charge and forwards it upstream.
 * Required are ID and RenderTaskID. FrameIndex is `null` when the payment is for the whole task.
 */
import { z } from 'zod';
import {
  nullableInteger,
  optionalBoolean,
  optionalInteger,
  optionalString,
  requiredInteger,
} from './coerce.js';
import { fileListSchema } from './file-list.js';
import { foldKeys } from './fold-keys.js';
import { parseBody, toRelayError } from './read-task.js';

/** The payment fields by their folded (lower-case) wire key. */
export const paymentWireSchema = z.object({
  id: requiredInteger('ID'),
  owner: optionalInteger('Owner', 0),
  ownername: optionalString('OwnerName'),
  agencyuserid: optionalInteger('AgencyUserID', 0),
  createtime: optionalInteger('CreateTime', 0),
  rendertaskid: requiredInteger('RenderTaskID'),
  framecount: optionalInteger('FrameCount', 0),
  frameindex: nullableInteger('FrameIndex'),
  status: optionalInteger('Status', 0),
  rendertimethread: optionalInteger('RenderTimeThread', 0),
  gross: optionalInteger('Gross', 0),
  renderoutputfiles: fileListSchema('RenderOutputFiles'),
  type: optionalInteger('Type', 0),
  deleted: optionalBoolean('Deleted'),
  framecompleted: optionalInteger('FrameCompleted', 0),
  lightjobgross: optionalInteger('LightJobGross', 0),
  lightjobrendertimethread: optionalInteger('LightJobRenderTimeThread', 0),
  lightjobstatus: optionalInteger('LightJobStatus', 0),
  camera: optionalString('Camera'),
  action: nullableInteger('Action'),
});

/** A payment as the relay keeps it; the file list is left out, since no event carries it. */
export interface Payment {
  id: number;
  owner: number;
  ownerName: string;
  agencyUserId: number;
  createTime: number;
  renderTaskId: number;
  frameCount: number;
  /** `null` when the payment is for the whole task. */
  frameIndex: number | null;
  status: number;
  /** Core-seconds. */
  renderTimeThread: number;
  gross: number;
  outputFileCount: number;
  type: number;
  /** Whether the task was deleted (the platform sends `Deleted` 1). */
  deleted: boolean;
  frameCompleted: number;
  lightJobGross: number;
  lightJobRenderTimeThread: number;
  lightJobStatus: number;
  camera: string;
  action: number | null;
}

/**
 * Reads a payment callback body.
 *
 * @throws RelayError naming the problem: empty body, invalid JSON, not an object, or a field.
 */
export function readPayment(text: string): Payment {
  const folded = foldKeys(parseBody(text));
  const parsed = paymentWireSchema.safeParse(Object.fromEntries(folded));
  if (!parsed.success) throw toRelayError(parsed.error, folded.get('rendertaskid'));

  const wire = parsed.data;
  return {
    id: wire.id,
    owner: wire.owner,
    ownerName: wire.ownername,
    agencyUserId: wire.agencyuserid,
    createTime: wire.createtime,
    renderTaskId: wire.rendertaskid,
    frameCount: wire.framecount,
    frameIndex: wire.frameindex,
    status: wire.status,
    renderTimeThread: wire.rendertimethread,
    gross: wire.gross,
    outputFileCount: wire.renderoutputfiles.length,
    type: wire.type,
    deleted: wire.deleted,
    frameCompleted: wire.framecompleted,
    lightJobGross: wire.lightjobgross,
    lightJobRenderTimeThread: wire.lightjobrendertimethread,
    lightJobStatus: wire.lightjobstatus,
    camera: wire.camera,
    action: wire.action,
  };
}

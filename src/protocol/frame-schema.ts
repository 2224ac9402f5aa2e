/**
 * The per-frame callback (`createrenderframeinfo`, `updaterenderframeinfo`): the one source of
 * the canonical frame's shape and its type.
 *
 * Required are the fields the relay cannot file a frame without: ID, RenderTaskID, FrameIndex
 * and Status. Owner and AgencyUserID are read but never used for routing, because the
 * platform's published frame examples send 0 in both. A frame is routed by its task's owner
 * and agency. Unknown keys are dropped: a task may carry 10 000 frames, and keeping extras on
 * each would multiply the memory the frame table holds.
 */
import { z } from 'zod';
import { optionalInteger, optionalString, requiredInteger } from './coerce.js';
import { fileListSchema, type OutputFile } from './file-list.js';
import { foldKeys } from './fold-keys.js';
import { parseBody, toRelayError } from './read-task.js';

/** The frame fields by their folded (lower-case) wire key. */
export const frameWireSchema = z.object({
  id: requiredInteger('ID'),
  owner: optionalInteger('Owner', 0),
  ownername: optionalString('OwnerName'),
  agencyuserid: optionalInteger('AgencyUserID', 0),
  rendertaskid: requiredInteger('RenderTaskID'),
  frameindex: requiredInteger('FrameIndex'),
  status: requiredInteger('Status'),
  rendertimethread: optionalInteger('RenderTimeThread', 0),
  gross: optionalInteger('Gross', 0),
  files: fileListSchema('Files'),
  type: optionalInteger('Type', 0),
  action: optionalInteger('Action', 0),
  lightjobgross: optionalInteger('LightJobGross', 0),
  lightjobrendertimethread: optionalInteger('LightJobRenderTimeThread', 0),
  lightjobstatus: optionalInteger('LightJobStatus', 0),
});

type FrameWire = z.output<typeof frameWireSchema>;

/** The canonical frame: the platform's latest state of one frame, in camelCase names. */
export interface Frame {
  /** The frame's own id on the platform. */
  id: number;
  /** As sent; 0 in the platform's examples, so never used for routing. */
  owner: number;
  ownerName: string;
  /** As sent; 0 in the platform's examples, so never used for routing. */
  agencyUserId: number;
  renderTaskId: number;
  frameIndex: number;
  /** Read with the task status table (the platform documents no frame status table). */
  status: number;
  /** Core-seconds. */
  renderTimeThread: number;
  gross: number;
  files: OutputFile[];
  type: number;
  action: number;
  lightJobGross: number;
  /** Core-seconds of the light-cache pre-pass. */
  lightJobRenderTimeThread: number;
  lightJobStatus: number;
}

/**
 * Reads a frame callback body.
 *
 * @throws RelayError naming the problem: empty body, invalid JSON, not an object, or a field.
 */
export function readFrame(text: string): Frame {
  const folded = foldKeys(parseBody(text));
  const parsed = frameWireSchema.safeParse(Object.fromEntries(folded));
  if (!parsed.success) throw toRelayError(parsed.error, folded.get('rendertaskid'));

  return toFrame(parsed.data);
}

function toFrame(wire: FrameWire): Frame {
  return {
    id: wire.id,
    owner: wire.owner,
    ownerName: wire.ownername,
    agencyUserId: wire.agencyuserid,
    renderTaskId: wire.rendertaskid,
    frameIndex: wire.frameindex,
    status: wire.status,
    renderTimeThread: wire.rendertimethread,
    gross: wire.gross,
    files: wire.files,
    type: wire.type,
    action: wire.action,
    lightJobGross: wire.lightjobgross,
    lightJobRenderTimeThread: wire.lightjobrendertimethread,
    lightJobStatus: wire.lightjobstatus,
  };
}

/**
 * The task callback's schema: the one source of the canonical task's shape and its type.
 *
 * The wire object is first folded to lower-case keys (see fold-keys.ts), then validated here
 * field by field. Required are the fields the relay cannot route or order without: ID, Owner,
 * AgencyUserID and Status. Every other documented field has a neutral default, because a
 * missing optional value must not cost the dealer a real update.
 */
import { z } from 'zod';
import { nullableInteger, optionalInteger, optionalString, requiredInteger } from './coerce.js';
import { fileListSchema, type OutputFile } from './file-list.js';

export type { OutputFile } from './file-list.js';

/**
 * The task fields by their folded (lower-case) wire key. The documented example spells
 * LightJobRenderTimeThread as `lightjobtimethreadtotal`; TASK_KEY_ALIASES maps it.
 */
export const taskWireSchema = z.object({
  id: requiredInteger('ID'),
  name: optionalString('Name'),
  owner: requiredInteger('Owner'),
  ownername: optionalString('OwnerName'),
  agencyuserid: requiredInteger('AgencyUserID'),
  createtime: optionalInteger('CreateTime', 0),
  type: optionalInteger('Type', 0),
  status: requiredInteger('Status'),
  renderoutputfiles: fileListSchema('RenderOutputFiles'),
  framecount: optionalInteger('FrameCount', 0),
  gross: optionalInteger('Gross', 0),
  framecompleted: optionalInteger('FrameCompleted', 0),
  starttime: optionalInteger('StartTime', 0),
  completedtime: optionalInteger('CompletedTime', 0),
  machinelimit: optionalInteger('MachineLimit', 0),
  services: optionalInteger('Services', 0),
  rendertimethreadtotal: optionalInteger('RenderTimeThreadTotal', 0),
  lightjobgross: optionalInteger('LightJobGross', 0),
  lightjobrendertimethread: optionalInteger('LightJobRenderTimeThread', 0),
  renderzipfile: optionalString('RenderZipFile'),
  camera: optionalString('Camera'),
  action: nullableInteger('Action'),
});

/** Alternative spellings the platform uses, folded spelling → folded field key. */
export const TASK_KEY_ALIASES: Readonly<Record<string, string>> = {
  lightjobtimethreadtotal: 'lightjobrendertimethread',
};

/** Folded wire keys in the schema; any other key is kept as an extra field. */
export const KNOWN_TASK_KEYS: ReadonlySet<string> = new Set(Object.keys(taskWireSchema.shape));

/** The canonical task: the platform's latest full state, in the relay's camelCase names. */
export interface Task {
  id: number;
  name: string;
  owner: number;
  ownerName: string;
  agencyUserId: number;
  /** Unix seconds, as sent. */
  createTime: number;
  /** 0 video, 1 picture. */
  type: number;
  status: number;
  renderOutputFiles: OutputFile[];
  frameCount: number;
  gross: number;
  frameCompleted: number;
  /** Unix seconds; 0 before the render started. */
  startTime: number;
  /** Unix seconds; 0 before completion. */
  completedTime: number;
  machineLimit: number;
  services: number;
  /** Core-seconds. */
  renderTimeThreadTotal: number;
  lightJobGross: number;
  /** Core-seconds of the light-cache pre-pass. */
  lightJobRenderTimeThread: number;
  renderZipFile: string;
  camera: string;
  /** `null` when the callback carried no Action. */
  action: number | null;
  /** Keys the platform sent that this schema does not know, kept within limits. */
  extra: Record<string, unknown>;
}

/** Converts validated wire fields to the canonical task. */
export function toTask(
  wire: z.output<typeof taskWireSchema>,
  extra: Record<string, unknown>,
): Task {
  return {
    id: wire.id,
    name: wire.name,
    owner: wire.owner,
    ownerName: wire.ownername,
    agencyUserId: wire.agencyuserid,
    createTime: wire.createtime,
    type: wire.type,
    status: wire.status,
    renderOutputFiles: wire.renderoutputfiles,
    frameCount: wire.framecount,
    gross: wire.gross,
    frameCompleted: wire.framecompleted,
    startTime: wire.starttime,
    completedTime: wire.completedtime,
    machineLimit: wire.machinelimit,
    services: wire.services,
    renderTimeThreadTotal: wire.rendertimethreadtotal,
    lightJobGross: wire.lightjobgross,
    lightJobRenderTimeThread: wire.lightjobrendertimethread,
    renderZipFile: wire.renderzipfile,
    camera: wire.camera,
    action: wire.action,
    extra,
  };
}

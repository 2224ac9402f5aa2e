/**
 * The task callback's schema: the one source of the canonical task's shape and its type.
 *
 * The wire object is first folded to lower-case keys (see fold-keys.ts), then validated here
 * field by field. Required are the fields the relay cannot route or order without: ID, Owner,
 * AgencyUserID and Status. Every other documented field has a neutral default, because a
 * missing optional value must not cost the dealer a real update.
 */
import { z } from 'zod';
import {
  anyValue,
  describeValue,
  MAX_STRING_LENGTH,
  nullableInteger,
  optionalBoolean,
  optionalInteger,
  optionalString,
  requiredInteger,
} from './coerce.js';
import { foldKeys, isJsonObject } from './fold-keys.js';

/** A file the task has produced so far. `name` is an opaque platform path, never a local one. */
export const outputFileSchema = z.object({
  name: optionalString('RenderOutputFiles[].name'),
  size: optionalInteger('RenderOutputFiles[].size', 0),
  time: optionalInteger('RenderOutputFiles[].time', 0),
  isdir: optionalBoolean('RenderOutputFiles[].isdir'),
});

export type OutputFile = z.output<typeof outputFileSchema>;

const outputFilesSchema = anyValue().transform((value, ctx): OutputFile[] => {
  if (value === undefined || value === null) return [];

  if (!Array.isArray(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'RS_ERR_FIELD_INVALID',
      params: {
        relayCode: 'RS_ERR_FIELD_INVALID',
        field: 'RenderOutputFiles',
        expected: 'an array of file objects',
        expectedZh: '文件对象数组',
        received: typeof value,
      },
    });
    return z.NEVER;
  }

  const files: OutputFile[] = [];
  for (const [index, entry] of value.entries()) {
    if (!isJsonObject(entry)) {
      ctx.addIssue({
        code: 'custom',
        message: 'RS_ERR_FIELD_INVALID',
        path: [index],
        params: {
          relayCode: 'RS_ERR_FIELD_INVALID',
          field: 'RenderOutputFiles[]',
          expected: 'a file object',
          expectedZh: '文件对象',
          received: describeValue(entry),
        },
      });
      return z.NEVER;
    }

    const exact = readExactFile(entry);
    if (exact !== undefined) {
      files.push(exact);
      continue;
    }

    const parsed = outputFileSchema.safeParse(Object.fromEntries(foldKeys(entry)));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ ...issue, path: [index, ...issue.path] } as z.core.$ZodRawIssue);
      }
      return z.NEVER;
    }
    files.push(parsed.data);
  }
  return files;
});

/**
 * Reads a file object that is already in the platform's usual form (lower-case keys, exact
 * types, nothing else) without the schema, or returns `undefined` to send it through the schema.
 * A video task resends thousands of files on every callback, and this form is nearly all of them.
 */
function readExactFile(entry: Record<string, unknown>): OutputFile | undefined {
  const { name, size, time, isdir } = entry;
  if (typeof name !== 'string' || name.length > MAX_STRING_LENGTH) return undefined;
  if (!Number.isSafeInteger(size) || !Number.isSafeInteger(time) || typeof isdir !== 'boolean')
    return undefined;

  let keys = 0;
  for (const _key in entry) keys += 1;
  if (keys !== 4) return undefined;

  return { name, size: size as number, time: time as number, isdir };
}

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
  renderoutputfiles: outputFilesSchema,
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

/** Folded wire keys the schema knows; anything else is kept as an extra field. */
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

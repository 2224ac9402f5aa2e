/**
 * The platform's file list (`fileObject`: `{name, size, time, isdir}`), shared by the task's
 * RenderOutputFiles and the frame's Files. Each list reports its problems under its own wire name.
 */
import { z } from 'zod';
import {
  anyValue,
  describeValue,
  MAX_STRING_LENGTH,
  optionalBoolean,
  optionalInteger,
  optionalString,
} from './coerce.js';
import { foldKeys, isJsonObject } from './fold-keys.js';

/** Builds the schema of one file object; `field` is the wire name of the list it sits in. */
function fileSchema(field: string) {
  return z.object({
    name: optionalString(`${field}[].name`),
    size: optionalInteger(`${field}[].size`, 0),
    time: optionalInteger(`${field}[].time`, 0),
    isdir: optionalBoolean(`${field}[].isdir`),
  });
}

/** A file the task has produced so far. `name` is an opaque platform path, never a local one. */
export const outputFileSchema = fileSchema('RenderOutputFiles');

export type OutputFile = z.output<typeof outputFileSchema>;

/** Builds the schema of a file list field; absent or `null` reads as `[]`. */
export function fileListSchema(field: string) {
  const entrySchema = fileSchema(field);

  return anyValue().transform((value, ctx): OutputFile[] => {
    if (value === undefined || value === null) return [];

    if (!Array.isArray(value)) {
      ctx.addIssue({
        code: 'custom',
        message: 'RS_ERR_FIELD_INVALID',
        params: {
          relayCode: 'RS_ERR_FIELD_INVALID',
          field,
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
            field: `${field}[]`,
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

      const parsed = entrySchema.safeParse(Object.fromEntries(foldKeys(entry)));
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
}

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

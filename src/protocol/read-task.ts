/**
 * Turns a callback's body text into a canonical task, or into the RelayError that explains
 * why it cannot be one. Nothing here touches the cache, so a rejection changes nothing.
 */
import type { z } from 'zod';
import { type ErrorCode, RelayError } from '../errors.js';
import { describeValue, type IssueParams } from './coerce.js';
import { foldKeys, isJsonObject } from './fold-keys.js';
import {
  KNOWN_TASK_KEYS,
  TASK_KEY_ALIASES,
  type Task,
  taskWireSchema,
  toTask,
} from './task-schema.js';
import { JsonSyntaxError, parseTolerantJson } from './tolerant-json.js';

/** How many unknown keys one task keeps; the platform may add fields, but not without bound. */
export const MAX_EXTRA_KEYS = 32;

/** Largest JSON size of one unknown key's value that is kept, in bytes (UTF-16 units, an estimate). */
export const MAX_EXTRA_VALUE_BYTES = 1024;

/** A task read from a callback, with what had to be left out. */
export interface ReadTaskResult {
  readonly task: Task;
  /** Unknown keys not kept because of MAX_EXTRA_KEYS or MAX_EXTRA_VALUE_BYTES. */
  readonly droppedExtraKeys: number;
}

/**
 * Reads a task callback body.
 *
 * @throws RelayError naming the problem: empty body, invalid JSON, not an object, or a field.
 */
export function readTask(text: string): ReadTaskResult {
  const body = parseBody(text);
  const folded = foldKeys(body, TASK_KEY_ALIASES);

  const known: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  let droppedExtraKeys = 0;

  for (const [key, value] of folded) {
    if (KNOWN_TASK_KEYS.has(key)) {
      known[key] = value;
    } else if (keepsExtra(extra, value)) {
      extra[key] = value;
    } else {
      droppedExtraKeys += 1;
    }
  }

  const parsed = taskWireSchema.safeParse(known);
  if (!parsed.success) throw toRelayError(parsed.error, folded.get('id'));

  return { task: toTask(parsed.data, sortKeys(extra)), droppedExtraKeys };
}

/** Parses the body text to a JSON object, rejecting empty, unparsable and non-object bodies. */
export function parseBody(text: string): Record<string, unknown> {
  if (text.trim() === '') throw new RelayError('RS_ERR_BODY_EMPTY');

  let value: unknown;
  try {
    value = parseTolerantJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new RelayError('RS_ERR_BODY_INVALID_JSON', { detail: error.message });
  }

  if (!isJsonObject(value)) {
    throw new RelayError('RS_ERR_BODY_NOT_OBJECT', {
      received: Array.isArray(value) ? 'array' : describeValue(value),
    });
  }

  return value;
}

// Sorted so that the same fields in another key order give the same task, and the same fingerprint.
function sortKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function keepsExtra(extra: Record<string, unknown>, value: unknown): boolean {
  if (Object.keys(extra).length >= MAX_EXTRA_KEYS) return false;

  let size: number;
  try {
    size = JSON.stringify(value)?.length ?? 0;
  } catch (error) {
    // A value nested a few thousand levels deep overflows JSON.stringify's stack, so it is dropped.
    if (!(error instanceof RangeError)) throw error;
    return false;
  }
  return size <= MAX_EXTRA_VALUE_BYTES;
}

/** Converts the first zod issue into the relay error it stands for. */
export function toRelayError(error: z.ZodError, rawId?: unknown): RelayError {
  const issue = error.issues[0];
  const params = (issue && 'params' in issue ? issue.params : undefined) as IssueParams | undefined;

  if (params === undefined) {
    return new RelayError('RS_ERR_FIELD_INVALID', {
      field: issue?.path.join('.') ?? '?',
      expected: issue?.message ?? 'a valid value',
      expectedZh: '有效值',
      received: '?',
    });
  }

  const { relayCode, field, ...rest } = params;
  const taskId =
    typeof rawId === 'number' || typeof rawId === 'string' ? String(rawId).slice(0, 32) : '';
  return new RelayError(relayCode as ErrorCode, {
    ...rest,
    ...(taskId === '' ? {} : { taskId }),
    field: withIndex(field, issue?.path ?? []),
  });
}

/** Puts the list index into a file field's name: `RenderOutputFiles[].size` → `RenderOutputFiles[3].size`. */
function withIndex(field: string, path: readonly PropertyKey[]): string {
  const index = path.find((part) => typeof part === 'number');
  return index === undefined ? field : field.replace('[]', `[${String(index)}]`);
}

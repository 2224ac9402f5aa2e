/**
 * zod field types that read the platform's loose scalars: numbers that arrive as numeric
 * strings, booleans as `0`/`1` or strings, `null` for an absent value. Each failure is added
 * as a zod issue whose `params` carry the relay error code and the field's wire name, so the
 * reply can name the field the way the platform's documentation spells it.
 */
import { z } from 'zod';
import type { ErrorCode } from '../errors.js';

/** Maximum length of a string field, in UTF-16 code units. */
export const MAX_STRING_LENGTH = 4096;

/** The `params` of a relay-specific zod issue. */
export interface IssueParams {
  readonly relayCode: ErrorCode;
  readonly field: string;
  readonly [key: string]: string | number;
}

type Ctx = z.core.$RefinementCtx;

function fail(ctx: Ctx, params: IssueParams): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message: params.relayCode, params });
  return z.NEVER;
}

/** Renders a received value for a message, short and JSON-quoted. */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
  } catch (error) {
    // JSON.parse reads nesting of any depth, but JSON.stringify recurses and overflows the stack
    // a few thousand levels down.
    if (!(error instanceof RangeError)) throw error;
    return Array.isArray(value) ? 'a deeply nested array' : 'a deeply nested object';
  }
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function readInteger(value: unknown, field: string, ctx: Ctx): number {
  const invalid = (): typeof z.NEVER =>
    fail(ctx, {
      relayCode: 'RS_ERR_FIELD_INVALID',
      field,
      expected: 'an integer',
      expectedZh: '整数',
      received: describeValue(value),
    });

  let number: number;
  if (typeof value === 'number') {
    number = value;
  } else if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) {
    number = Number(value);
  } else {
    return invalid();
  }

  if (!Number.isInteger(number)) return invalid();

  if (!Number.isSafeInteger(number)) {
    return fail(ctx, {
      relayCode: 'RS_ERR_FIELD_UNSAFE_INTEGER',
      field,
      received: typeof value === 'string' ? value.trim() : String(value),
    });
  }

  return number;
}

function readString(value: unknown, field: string, ctx: Ctx): string {
  let text: string;
  if (typeof value === 'string') {
    text = value;
  } else if (typeof value === 'number' && Number.isFinite(value)) {
    text = String(value);
  } else {
    return fail(ctx, {
      relayCode: 'RS_ERR_FIELD_INVALID',
      field,
      expected: 'a string',
      expectedZh: '字符串',
      received: describeValue(value),
    });
  }

  if (text.length > MAX_STRING_LENGTH) {
    return fail(ctx, {
      relayCode: 'RS_ERR_FIELD_TOO_LONG',
      field,
      received: text.length,
      limit: MAX_STRING_LENGTH,
    });
  }

  return text;
}

const TRUE_VALUES = new Set<unknown>([true, 1, 'true', 'True', '1']);
const FALSE_VALUES = new Set<unknown>([false, 0, 'false', 'False', '0']);

function readBoolean(value: unknown, field: string, ctx: Ctx): boolean {
  if (TRUE_VALUES.has(value)) return true;
  if (FALSE_VALUES.has(value)) return false;

  return fail(ctx, {
    relayCode: 'RS_ERR_FIELD_INVALID',
    field,
    expected: 'true or false',
    expectedZh: ' true 或 false',
    received: describeValue(value),
  });
}

function missing(field: string, ctx: Ctx): typeof z.NEVER {
  return fail(ctx, { relayCode: 'RS_ERR_FIELD_MISSING', field });
}

const isAbsent = (value: unknown): boolean => value === undefined || value === null;

/**
 * Returns the base of every field type. zod 4 reports an absent key of a plain `z.unknown()` as
 * missing before any transform runs, so preprocessing it to `null` lets the field choose its default.
 */
export function anyValue() {
  return z.preprocess((value) => value ?? null, z.unknown());
}

/** Creates a required integer field; `field` is its wire name, used in messages. */
export function requiredInteger(field: string) {
  return anyValue().transform((value, ctx) =>
    isAbsent(value) ? missing(field, ctx) : readInteger(value, field, ctx),
  );
}

/** Creates an optional integer field that reads as `fallback` when absent. */
export function optionalInteger(field: string, fallback: number) {
  return anyValue().transform((value, ctx) =>
    isAbsent(value) ? fallback : readInteger(value, field, ctx),
  );
}

/** Creates an optional integer field that reads as `null` when absent. */
export function nullableInteger(field: string) {
  return anyValue().transform((value, ctx): number | null =>
    isAbsent(value) ? null : readInteger(value, field, ctx),
  );
}

/** Creates an optional string field that reads as `''` when absent. */
export function optionalString(field: string) {
  return anyValue().transform((value, ctx) =>
    isAbsent(value) ? '' : readString(value, field, ctx),
  );
}

/** Creates an optional boolean field that reads as `false` when absent. */
export function optionalBoolean(field: string) {
  return anyValue().transform((value, ctx) =>
    isAbsent(value) ? false : readBoolean(value, field, ctx),
  );
}

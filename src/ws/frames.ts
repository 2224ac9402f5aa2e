/**
 * The client → server frames of the WebSocket protocol, and the server frames built from them.
 */
import { z } from 'zod';
import { RelayError } from '../errors.js';
import type { SubscriptionFilter } from '../fanout/filter.js';

/** Values one filter list may hold. */
export const MAX_FILTER_VALUES = 1000;

const ids = z
  .array(z.number().int().refine(Number.isSafeInteger, 'expected a safe integer'))
  .max(MAX_FILTER_VALUES);

const subscribeFrame = z.object({
  type: z.literal('subscribe'),
  id: z.string().min(1).max(64),
  owners: ids.optional(),
  agencies: ids.optional(),
  statuses: ids.optional(),
  taskIds: ids.optional(),
  frames: z.boolean().optional(),
  since: z
    .object({ epoch: z.string().min(1).max(64), seq: z.number().int().nonnegative() })
    .optional(),
});

const unsubscribeFrame = z.object({
  type: z.literal('unsubscribe'),
  id: z.string().min(1).max(64),
});
const pingFrame = z.object({ type: z.literal('ping') });

export type SubscribeFrame = z.output<typeof subscribeFrame>;
export type ClientFrame =
  | SubscribeFrame
  | z.output<typeof unsubscribeFrame>
  | z.output<typeof pingFrame>;

const FRAME_SCHEMAS = {
  subscribe: subscribeFrame,
  unsubscribe: unsubscribeFrame,
  ping: pingFrame,
} as const;

/**
 * Parses one text frame.
 *
 * @throws RelayError naming the invalid JSON, the unknown type or the first invalid field; the
 * error's `params.id` carries the frame's `id` when it had one, so the reply can name it.
 */
export function parseClientFrame(text: string): ClientFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RelayError('RS_ERR_FRAME_INVALID_JSON', {
      detail: (error as Error).message.slice(0, 120),
    });
  }

  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RelayError('RS_ERR_FRAME_INVALID', {
      field: 'type',
      detail: 'expected a JSON object with a "type"',
    });
  }

  const record = value as Record<string, unknown>;
  const type = record.type;
  const schema =
    typeof type === 'string' && Object.hasOwn(FRAME_SCHEMAS, type)
      ? FRAME_SCHEMAS[type as keyof typeof FRAME_SCHEMAS]
      : undefined;
  if (schema === undefined)
    throw new RelayError('RS_ERR_FRAME_UNKNOWN_TYPE', {
      received: JSON.stringify(type) ?? 'undefined',
    });

  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const id = typeof record.id === 'string' ? record.id : '';
    throw new RelayError('RS_ERR_FRAME_INVALID', {
      field: issue?.path.join('.') || 'type',
      detail: issue?.message ?? 'invalid',
      id,
    });
  }

  return parsed.data;
}

/** Converts a subscribe frame's lists to the hub's filter. An empty list means no constraint, like an absent one. */
export function toFilter(frame: SubscribeFrame): SubscriptionFilter {
  const set = (values: number[] | undefined): ReadonlySet<number> | undefined =>
    values === undefined || values.length === 0 ? undefined : new Set(values);

  return {
    owners: set(frame.owners),
    agencies: set(frame.agencies),
    statuses: set(frame.statuses),
    taskIds: set(frame.taskIds),
    frames: frame.frames ?? false,
  };
}

/** Encodes a server frame. */
export function encodeFrame(frame: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify(frame));
}

/**
 * The relay → client frames the SDK reads, checked only as far as the client relies on them.
 */
import type { EventType, RelayEvent } from '../events/event.js';
import type { TaskView } from '../events/task-view.js';

const EVENT_TYPES: ReadonlySet<string> = new Set<EventType>([
  'task.created',
  'task.updated',
  'task.deleted',
  'task.charged',
  'frame.updated',
]);

/** A frame from the relay, narrowed to what the client acts on. */
export type ServerFrame =
  | { kind: 'welcome'; epoch: string; seq: number }
  | {
      kind: 'subscribed';
      id: string;
      epoch: string;
      seq: number;
      recovered: boolean;
      tasks: TaskView[];
      truncated: boolean;
    }
  | { kind: 'event'; event: RelayEvent }
  | { kind: 'error'; code: string; message: string; id: string | undefined }
  /** `pong`, `heartbeat`, `unsubscribed` and types added later: they only prove liveness. */
  | { kind: 'other'; type: string };

/**
 * Parses one text frame.
 *
 * @throws SyntaxError when the frame is not a JSON object with a string `type`, or a known type
 * lacks a field the client needs
 */
export function parseServerFrame(text: string): ServerFrame {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SyntaxError('relay frame is not a JSON object');
  }
  const frame = value as Record<string, unknown>;
  const type = frame.type;
  if (typeof type !== 'string') throw new SyntaxError('relay frame has no string "type"');

  if (EVENT_TYPES.has(type)) {
    requireFields(frame, type, { seq: 'number', epoch: 'string', at: 'number', task: 'object' });
    if (!Array.isArray(frame.outputFilesAdded)) missing(type, 'outputFilesAdded');
    return { kind: 'event', event: frame as unknown as RelayEvent };
  }

  switch (type) {
    case 'welcome':
      requireFields(frame, type, { epoch: 'string', seq: 'number' });
      return { kind: 'welcome', epoch: frame.epoch as string, seq: frame.seq as number };
    case 'subscribed':
      requireFields(frame, type, {
        id: 'string',
        epoch: 'string',
        seq: 'number',
        recovered: 'boolean',
      });
      if (!Array.isArray(frame.tasks)) missing(type, 'tasks');
      return {
        kind: 'subscribed',
        id: frame.id as string,
        epoch: frame.epoch as string,
        seq: frame.seq as number,
        recovered: frame.recovered as boolean,
        tasks: frame.tasks as TaskView[],
        truncated: frame.truncated === true,
      };
    case 'error':
      return {
        kind: 'error',
        code: typeof frame.code === 'string' ? frame.code : 'unknown',
        message: typeof frame.message === 'string' ? frame.message : '',
        id: typeof frame.id === 'string' ? frame.id : undefined,
      };
    default:
      return { kind: 'other', type };
  }
}

function requireFields(
  frame: Record<string, unknown>,
  type: string,
  fields: Record<string, 'string' | 'number' | 'boolean' | 'object'>,
): void {
  for (const [field, expected] of Object.entries(fields)) {
    const value = frame[field];
    if (typeof value !== expected || value === null) missing(type, field);
  }
}

function missing(type: string, field: string): never {
  throw new SyntaxError(`relay frame ${type} has a missing or invalid "${field}"`);
}

/**
 * The Server-Sent Events wire format of the relay: event messages, the snapshot and resume
 * messages, comments, and the `id:` that carries the stream position.
 *
 * Every `data:` value is JSON from `JSON.stringify`, which escapes CR and LF inside strings, so
 * one `data:` line always contains the whole value (the SSE format splits lines only at CR and LF).
 */
import type { RelayEvent } from '../events/event.js';
import type { StreamPosition } from '../events/event-log.js';

/** Maximum epoch length accepted in a `Last-Event-ID`, the same as for `since` on the WebSocket. */
const MAX_EPOCH_LENGTH = 64;

// Keyed by the published frame, which the event log keeps for the event's whole life in the
// history, so every stream and every replay reuses one encoding and the entry leaves with it.
const encodedEvents = new WeakMap<Buffer, Buffer>();

/** Formats a stream position as an SSE `id`: `<epoch>:<seq>`. */
export function formatEventId(position: StreamPosition): string {
  return `${position.epoch}:${position.seq}`;
}

/**
 * Parses a `Last-Event-ID` value written by `formatEventId`. Returns `undefined` for a value
 * that is not `<epoch>:<seq>` with a non-empty epoch of at most 64 characters and a safe integer.
 */
export function parseEventId(text: string): StreamPosition | undefined {
  const colon = text.lastIndexOf(':');
  if (colon < 1 || colon > MAX_EPOCH_LENGTH) return undefined;

  const epoch = text.slice(0, colon);
  const digits = text.slice(colon + 1);
  if (!/^\d{1,16}$/.test(digits)) return undefined;

  const seq = Number(digits);
  return Number.isSafeInteger(seq) ? { epoch, seq } : undefined;
}

/** Encodes a published event as one message: its position as `id:`, its type as `event:`. */
export function encodeEventMessage(event: RelayEvent, frame: Buffer): Buffer {
  const cached = encodedEvents.get(frame);
  if (cached !== undefined) return cached;

  const head = `id: ${formatEventId(event)}\nevent: ${event.type}\ndata: `;
  const message = Buffer.concat([Buffer.from(head), frame, Buffer.from('\n\n')]);
  encodedEvents.set(frame, message);
  return message;
}

/** Encodes one message whose data is `value` as JSON. Without `id`, the client's last id stays. */
export function encodeMessage(event: string, value: unknown, id?: StreamPosition): Buffer {
  const idLine = id === undefined ? '' : `id: ${formatEventId(id)}\n`;
  return Buffer.from(`${idLine}event: ${event}\ndata: ${JSON.stringify(value)}\n\n`);
}

/** Encodes a comment line, which clients ignore and proxies see as traffic. */
export function encodeComment(text: string): Buffer {
  return Buffer.from(`: ${text}\n\n`);
}

/** Encodes the reconnection delay a client should wait after the stream ends, in milliseconds. */
export function encodeRetry(delayMs: number): Buffer {
  return Buffer.from(`retry: ${delayMs}\n\n`);
}

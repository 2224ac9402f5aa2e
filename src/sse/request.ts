/**
 * Reads the parts of a `GET /api/events` request: the filter, `frames`, and where to resume.
 */
import type { Context } from 'hono';
import { RelayError } from '../errors.js';
import type { StreamPosition } from '../events/event-log.js';
import type { SubscriptionFilter } from '../fanout/filter.js';
import { readFilter } from '../http/tasks.js';
import { parseEventId } from './messages.js';

/** A stream request: the subscription filter and, when resuming, the last position received. */
export interface StreamRequest {
  readonly filter: SubscriptionFilter;
  readonly since?: StreamPosition;
}

/**
 * Reads the filter (`owner`, `agency`, `status`, `task`, `frames`) and the resume position from
 * the `Last-Event-ID` header, or else the `lastEventId` query parameter (for clients that cannot
 * set headers, such as a new `EventSource`).
 *
 * @throws RelayError `RS_ERR_QUERY_INVALID` for a filter, `RS_ERR_LAST_EVENT_ID_INVALID` for a
 * resume position that cannot be read
 */
export function readStreamRequest(c: Context): StreamRequest {
  const filter: SubscriptionFilter = { ...readFilter(c), frames: readFrames(c) };
  const since = readLastEventId(c);
  return since === undefined ? { filter } : { filter, since };
}

function readFrames(c: Context): boolean {
  const raw = c.req.query('frames');
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;

  throw new RelayError('RS_ERR_QUERY_INVALID', {
    field: 'frames',
    expected: 'true or false',
    expectedZh: 'true 或 false',
    received: JSON.stringify(raw.slice(0, 100)),
  });
}

function readLastEventId(c: Context): StreamPosition | undefined {
  const header = c.req.header('last-event-id');
  const [field, raw] =
    header === undefined ? ['lastEventId', c.req.query('lastEventId')] : ['Last-Event-ID', header];
  // EventSource sends no header before its first id, and an empty value means the same.
  if (raw === undefined || raw.trim() === '') return undefined;

  const position = parseEventId(raw.trim());
  if (position !== undefined) return position;

  throw new RelayError('RS_ERR_LAST_EVENT_ID_INVALID', {
    field,
    received: JSON.stringify(raw.slice(0, 100)),
  });
}

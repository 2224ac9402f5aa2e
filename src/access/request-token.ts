/**
 * Reads a bearer token from `Authorization: Bearer …`, or else from the `token` query parameter
 * (browsers cannot set headers on a WebSocket, and the platform only takes a callback URL).
 */
import type { Context } from 'hono';

/** Returns the token, or `undefined` when the request carries none. */
export function requestToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match?.[1] !== undefined) return match[1];

  const query = c.req.query('token');
  return query === undefined || query === '' ? undefined : query;
}

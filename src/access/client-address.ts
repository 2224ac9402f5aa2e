/**
 * The address a request came from: the socket's peer, or, behind the operator's own proxy, the
 * last address in X-Forwarded-For. That entry is the one the proxy wrote, while earlier entries
 * come from the client and can be forged.
 */
import type { Context } from 'hono';
import type { RelayEnv } from '../http/env.js';

/** Returns the client address, or `unknown` for requests that did not come over a socket. */
export function clientAddress(c: Context<RelayEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').at(-1)?.trim();
    if (last !== undefined && last !== '') return last;
  }

  return c.env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

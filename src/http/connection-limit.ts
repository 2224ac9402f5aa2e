/**
 * The limit on open subscriber connections, shared by every transport: WebSockets and
 * Server-Sent Events streams count against the same `maxConnections`.
 */
import type { MiddlewareHandler } from 'hono';
import { RelayError } from '../errors.js';
import type { RelayMetrics } from '../observability/metrics.js';
import type { RelayEnv } from './env.js';

/** Seconds a client rejected at the limit is asked to wait, sent as `Retry-After`. */
const RETRY_AFTER_SECONDS = 5;

export interface ConnectionLimitOptions {
  /** Open subscriber connections at once. Further ones get 503. @default 10000 */
  readonly maxConnections: number;
  /** Open connections of every transport, read on each request. */
  readonly openConnections: () => number;
  readonly metrics: RelayMetrics;
  readonly onLimit: (limit: string, fields: Record<string, unknown>) => void;
}

/** Creates the middleware that rejects a new connection with 503 `RS_ERR_CONNECTIONS_LIMIT`. */
export function connectionLimit(options: ConnectionLimitOptions): MiddlewareHandler<RelayEnv> {
  return async (_c, next) => {
    const open = options.openConnections();
    if (open < options.maxConnections) return next();

    options.metrics.connectionsRejected.inc({ reason: 'limit' });
    options.onLimit('connections', { open });
    throw new RelayError('RS_ERR_CONNECTIONS_LIMIT', {
      limit: options.maxConnections,
      retryAfterSeconds: RETRY_AFTER_SECONDS,
    });
  };
}

/**
 * Checks before a socket or stream opens: the browser origin (a cross-site page can open a
 * WebSocket anywhere, and CORS does not stop it) and the per-address rate of new connections.
 * Requests without an Origin header (bots, curl) are judged by their token alone.
 */
import type { MiddlewareHandler } from 'hono';
import { RelayError } from '../errors.js';
import type { RelayEnv } from '../http/env.js';
import { clientAddress } from './client-address.js';
import type { RateLimiter } from './rate-limit.js';

export interface UpgradeGuardOptions {
  /** Allowed origins; empty for any. */
  readonly origins: ReadonlySet<string>;
  readonly limiter: RateLimiter;
  readonly ratePerSecond: number;
  readonly trustProxy: boolean;
  readonly onDenied: (error: RelayError) => void;
}

/** Creates the middleware that rejects a foreign origin (403) or a too-fast address (429). */
export function upgradeGuard(options: UpgradeGuardOptions): MiddlewareHandler<RelayEnv> {
  return async (c, next) => {
    try {
      checkOrigin(options.origins, c.req.header('origin'));

      const address = clientAddress(c, options.trustProxy);
      const retryAfterSeconds = options.limiter.take(address, Date.now());
      if (retryAfterSeconds > 0) {
        throw new RelayError('RS_ERR_RATE_LIMITED', {
          limit: options.ratePerSecond,
          retryAfterSeconds,
          address,
        });
      }
    } catch (error) {
      if (error instanceof RelayError) options.onDenied(error);
      throw error;
    }
    return next();
  };
}

function checkOrigin(origins: ReadonlySet<string>, origin: string | undefined): void {
  if (origins.size === 0 || origin === undefined) return;
  if (origins.has(origin)) return;

  throw new RelayError('RS_ERR_ORIGIN_FORBIDDEN', { origin: JSON.stringify(origin.slice(0, 200)) });
}

/**
 * Builds every access check from the configuration, once: the subscriber authentication for
 * reads, the guard in front of socket upgrades, and the guard on platform callbacks.
 */
import type { MiddlewareHandler } from 'hono';
import type { RelayConfig } from '../config.js';
import type { RelayError } from '../errors.js';
import type { RelayEnv } from '../http/env.js';
import { parseAllowList } from './cidr.js';
import { createIngestGuard, type IngestGuard } from './ingest-guard.js';
import { parseOrigins } from './origins.js';
import { RateLimiter } from './rate-limit.js';
import { subscriberAuth } from './subscriber-auth.js';
import { upgradeGuard } from './upgrade-guard.js';

export interface AccessChecks {
  /** Sets `c.var.grant` from the subscriber token, or rejects with 401. */
  readonly auth: MiddlewareHandler<RelayEnv>;
  /** Origin and connection-rate checks for the socket and the stream. */
  readonly upgrade: MiddlewareHandler<RelayEnv>;
  /** Address, rate and token checks for platform callbacks. */
  readonly ingest: IngestGuard;
}

/**
 * Creates the access checks. `onDenied` receives every refused read or upgrade (not callbacks,
 * whose refusals the callback route counts itself).
 */
export function createAccessChecks(
  config: RelayConfig,
  onDenied: (error: RelayError) => void,
): AccessChecks {
  const ingestLimiter = new RateLimiter({
    ratePerSecond: config.ingestRatePerSecond,
    burst: config.ingestBurst,
  });
  const upgradeLimiter = new RateLimiter({
    ratePerSecond: config.upgradeRatePerSecond,
    burst: config.upgradeBurst,
  });

  return {
    auth: subscriberAuth({ jwtSecret: config.jwtSecret, onDenied }),
    upgrade: upgradeGuard({
      origins: parseOrigins(config.allowedOrigins),
      limiter: upgradeLimiter,
      ratePerSecond: config.upgradeRatePerSecond,
      trustProxy: config.trustProxy,
      onDenied,
    }),
    ingest: createIngestGuard({
      token: config.ingestToken,
      allowList: config.ingestAllow === '' ? undefined : parseAllowList(config.ingestAllow),
      limiter: ingestLimiter,
      ratePerSecond: config.ingestRatePerSecond,
      trustProxy: config.trustProxy,
    }),
  };
}

/**
 * The checks on every platform callback, cheapest first: the address allow-list, the
 * per-address rate limit, then the callback token, compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { RelayError } from '../errors.js';
import type { RelayEnv } from '../http/env.js';
import type { AddressAllowList } from './cidr.js';
import { clientAddress } from './client-address.js';
import type { RateLimiter } from './rate-limit.js';
import { requestToken } from './request-token.js';

export interface IngestGuardOptions {
  /** The token callbacks must carry; empty for none. */
  readonly token: string;
  /** Addresses allowed to post; `undefined` for any. */
  readonly allowList: AddressAllowList | undefined;
  readonly limiter: RateLimiter;
  readonly ratePerSecond: number;
  readonly trustProxy: boolean;
}

/** A check that throws the RelayError of the first rule a callback breaks. */
export type IngestGuard = (c: Context<RelayEnv>) => void;

/** Creates the ingest check. */
export function createIngestGuard(options: IngestGuardOptions): IngestGuard {
  const expectedDigest = options.token === '' ? undefined : digest(options.token);

  return (c) => {
    const address = clientAddress(c, options.trustProxy);

    if (options.allowList !== undefined && !options.allowList.allows(address)) {
      throw new RelayError('RS_ERR_INGEST_ADDRESS_FORBIDDEN', { address });
    }

    const retryAfterSeconds = options.limiter.take(address, Date.now());
    if (retryAfterSeconds > 0) {
      throw new RelayError('RS_ERR_RATE_LIMITED', {
        limit: options.ratePerSecond,
        retryAfterSeconds,
        address,
      });
    }

    if (expectedDigest === undefined) return;

    const token = c.req.param('ingestToken') ?? requestToken(c);
    if (token === undefined) throw new RelayError('RS_ERR_INGEST_TOKEN_MISSING');
    // Equal-length digests make the comparison constant-time whatever the token's length.
    if (!timingSafeEqual(digest(token), expectedDigest))
      throw new RelayError('RS_ERR_INGEST_TOKEN_INVALID');
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

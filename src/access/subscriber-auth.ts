/**
 * Subscriber authentication for every read: REST, the socket upgrade, the stream. With a JWT
 * secret, each request needs a valid token and gets its scope. Without one, every request gets
 * the full scope; the configuration allows that anonymous mode on loopback only.
 */
import type { MiddlewareHandler } from 'hono';
import { RelayError } from '../errors.js';
import type { RelayEnv } from '../http/env.js';
import { requestToken } from './request-token.js';
import { FULL_SCOPE } from './scope.js';
import { type SubscriberGrant, verifySubscriberToken } from './tokens.js';

const ANONYMOUS_GRANT: SubscriberGrant = {
  scope: FULL_SCOPE,
  expiresAtMs: Number.POSITIVE_INFINITY,
};

export interface SubscriberAuthOptions {
  /** HS256 secret; empty for anonymous mode. */
  readonly jwtSecret: string;
  /**
   * Called for each rejected request: token errors before the reply is sent, and a route's
   * `RS_ERR_FORBIDDEN` after it.
   */
  readonly onDenied: (error: RelayError) => void;
}

/** Creates the middleware that sets `c.var.grant` or rejects with 401. */
export function subscriberAuth(options: SubscriberAuthOptions): MiddlewareHandler<RelayEnv> {
  const { jwtSecret, onDenied } = options;

  return async (c, next) => {
    if (jwtSecret === '') {
      c.set('grant', ANONYMOUS_GRANT);
      return next();
    }

    const token = requestToken(c);
    try {
      if (token === undefined) throw new RelayError('RS_ERR_TOKEN_MISSING');
      c.set('grant', await verifySubscriberToken(token, jwtSecret));
    } catch (error) {
      if (error instanceof RelayError) onDenied(error);
      throw error;
    }
    await next();

    // The route rejects a filter outside the scope after this check, so that refusal is counted here.
    if (c.error instanceof RelayError && c.error.code === 'RS_ERR_FORBIDDEN') onDenied(c.error);
  };
}

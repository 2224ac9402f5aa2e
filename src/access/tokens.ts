/**
 * Subscriber tokens: HS256 JWTs whose claims carry the scope. Signing and verification use
 * Hono's JWT helpers; this file only defines the claims and turns them into a Scope.
 */
import { sign, verify } from 'hono/jwt';
import { JwtTokenExpired } from 'hono/utils/jwt/types';
import { z } from 'zod';
import { RelayError } from '../errors.js';
import type { Scope } from './scope.js';

const ids = z.array(z.number().int().refine(Number.isSafeInteger)).max(10_000);

const claimsSchema = z.object({
  owners: ids.optional(),
  agencies: ids.optional(),
  admin: z.boolean().optional(),
  exp: z.number().int().positive(),
  sub: z.string().max(200).optional(),
});

/** The grant of a verified token: its scope, expiry and subject. */
export interface SubscriberGrant {
  readonly scope: Scope;
  /** Unix milliseconds after which the token no longer counts. */
  readonly expiresAtMs: number;
  /** The token's `sub` claim, for logs. */
  readonly subject?: string;
}

/**
 * Verifies a token and reads its scope.
 *
 * @throws RelayError `RS_ERR_TOKEN_EXPIRED` (401) or `RS_ERR_TOKEN_INVALID` (401), which never
 * quote the token or the secret
 */
export async function verifySubscriberToken(
  token: string,
  secret: string,
): Promise<SubscriberGrant> {
  let payload: unknown;
  try {
    payload = await verify(token, secret, 'HS256');
  } catch (error) {
    if (error instanceof JwtTokenExpired) throw new RelayError('RS_ERR_TOKEN_EXPIRED');
    throw new RelayError('RS_ERR_TOKEN_INVALID', { reason: (error as Error).name });
  }

  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) {
    const field = claims.error.issues[0]?.path.join('.') || 'claims';
    throw new RelayError('RS_ERR_TOKEN_INVALID', { reason: `invalid claim ${field}` });
  }

  const { owners = [], agencies = [], admin = false, exp, sub } = claims.data;
  const scope: Scope = { admin, owners: new Set(owners), agencies: new Set(agencies) };
  return { scope, expiresAtMs: exp * 1000, ...(sub === undefined ? {} : { subject: sub }) };
}

export interface MintOptions {
  readonly owners?: readonly number[];
  readonly agencies?: readonly number[];
  readonly admin?: boolean;
  /** Lifetime, in milliseconds. */
  readonly ttlMs: number;
  readonly subject?: string;
  /** Now, Unix milliseconds. @default Date.now() */
  readonly nowMs?: number;
}

/**
 * Signs a subscriber token.
 *
 * @example
 * await mintSubscriberToken({ agencies: [3], ttlMs: 86_400_000 }, secret);
 */
export function mintSubscriberToken(options: MintOptions, secret: string): Promise<string> {
  const nowSeconds = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const payload: Record<string, unknown> = {
    iat: nowSeconds,
    exp: nowSeconds + Math.max(1, Math.round(options.ttlMs / 1000)),
  };

  if (options.owners !== undefined && options.owners.length > 0)
    payload.owners = [...options.owners];
  if (options.agencies !== undefined && options.agencies.length > 0)
    payload.agencies = [...options.agencies];
  if (options.admin === true) payload.admin = true;
  if (options.subject !== undefined) payload.sub = options.subject;

  return sign(payload, secret, 'HS256');
}

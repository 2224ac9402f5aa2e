/**
 * The subscriber token: taken from the URL fragment (`#token=…`) or the input box, and kept
 * only in sessionStorage, so it lasts for this tab and never reaches a server log as a query.
 */

const STORAGE_KEY = 'render-relay.token';

/** The scope a token claims, decoded for display only: the relay verifies the signature. */
export interface TokenClaims {
  admin: boolean;
  owners: number[];
  agencies: number[];
  /** Unix seconds, when the token has an `exp` claim. */
  expiresAt?: number;
}

/**
 * Moves a `#token=…` fragment into sessionStorage and removes it from the address bar; returns
 * the stored token, or '' when there is none.
 */
export function loadToken(): string {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromFragment = fragment.get('token');
  if (fromFragment !== null) {
    saveToken(fromFragment);
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  }
  return sessionStorage.getItem(STORAGE_KEY) ?? '';
}

/** Stores the token for this tab; an empty token removes it. */
export function saveToken(token: string): void {
  const trimmed = token.trim();
  if (trimmed === '') sessionStorage.removeItem(STORAGE_KEY);
  else sessionStorage.setItem(STORAGE_KEY, trimmed);
}

/** Decodes the claims of a JWT without checking it; returns `undefined` when it does not parse. */
export function decodeClaims(token: string): TokenClaims | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const ids = (value: unknown): number[] =>
      Array.isArray(value) ? value.filter((id): id is number => Number.isInteger(id)) : [];
    const result: TokenClaims = {
      admin: claims.admin === true,
      owners: ids(claims.owners),
      agencies: ids(claims.agencies),
    };
    if (typeof claims.exp === 'number') result.expiresAt = claims.exp;
    return result;
  } catch {
    return undefined;
  }
}

/** Returns the headers of a REST call: `Authorization: Bearer` when there is a token. */
export function authHeaders(token: string): Record<string, string> {
  return token === '' ? {} : { Authorization: `Bearer ${token}` };
}

/**
 * Asks the relay whether it accepts the current token. A browser WebSocket does not expose the
 * HTTP status of a refused upgrade, so after a failed connection the page calls
 * `GET /api/tasks?limit=1`, which uses the same token check, to tell a rejected token apart
 * from a relay that is down.
 */
import { authHeaders } from './token.js';

export type TokenCheck = 'accepted' | 'rejected' | 'unknown';

/** Returns `rejected` on HTTP 401, `accepted` on 2xx, and `unknown` when the call fails. */
export async function checkToken(token: string): Promise<TokenCheck> {
  try {
    const response = await fetch('/api/tasks?limit=1', { headers: authHeaders(token) });
    await response.body?.cancel();
    if (response.status === 401) return 'rejected';
    return response.ok ? 'accepted' : 'unknown';
  } catch {
    return 'unknown';
  }
}

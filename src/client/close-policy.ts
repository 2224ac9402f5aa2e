/**
 * The close policy: after a socket ends the client reconnects, reconnects after reporting an
 * error, or stops. Codes 4500-4999 mean "do not reconnect as is", and every other code reconnects.
 */
import { RelayClientError } from './client-error.js';

/** The end of a socket, as far as the runtime reports it. */
export interface SocketEnd {
  code?: number;
  reason?: string;
  /** HTTP status of a refused upgrade; only the `ws` package reports it. */
  upgradeStatus?: number;
}

/** The client's next step: `error` is reported first when present, and is fatal on `stop`. */
export type CloseDecision =
  | { action: 'stop'; error: RelayClientError }
  | { action: 'retry'; error?: RelayClientError };

/** Decides the next step after `end`; `refetchesToken` is true when the token is a function. */
export function decideAfterClose(end: SocketEnd, refetchesToken: boolean): CloseDecision {
  const { code, upgradeStatus } = end;

  if (code !== undefined && code >= 4500 && code <= 4999) {
    const error = new RelayClientError(
      'RS_CLIENT_CLOSED_BY_RELAY',
      `relay closed the connection with ${code} (${end.reason}): codes 4500-4999 mean the client must change before reconnecting`,
      { fatal: true, closeCode: code },
    );
    return { action: 'stop', error };
  }

  if (upgradeStatus !== 401) return { action: 'retry' };

  const error = new RelayClientError(
    'RS_CLIENT_TOKEN_REJECTED',
    refetchesToken
      ? 'relay rejected the token (HTTP 401): calling the token function again'
      : 'relay rejected the token (HTTP 401): pass a valid token, or a token function that fetches a new one',
    { fatal: !refetchesToken },
  );
  return refetchesToken ? { action: 'retry', error } : { action: 'stop', error };
}

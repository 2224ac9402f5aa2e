/**
 * Answers requests that Node's HTTP parser rejects before any route runs (for example
 * `Content-Length: abc`), in the platform's JSON envelope instead of Node's empty 400.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { RelayError } from '../errors.js';
import { failureReply } from '../protocol/reply.js';

/** Writes the error reply on the raw socket and closes it. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }

  const relayError =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new RelayError('RS_ERR_HEADERS_TOO_LARGE')
      : new RelayError('RS_ERR_HTTP_MALFORMED', { reason: error.code ?? 'parse error' });
  const body = JSON.stringify(failureReply(relayError));
  const status = `${relayError.status} ${STATUS_CODES[relayError.status] ?? ''}`;

  socket.end(
    `HTTP/1.1 ${status}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Relay-Error: ${relayError.code}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

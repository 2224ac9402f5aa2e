/**
 * A dealer backend for passthrough tests: a `node:http` server on 127.0.0.1 and a free port
 * that records every request (method, path, headers, exact body bytes) and replies as the test sets.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the backend received it. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path with the query string. */
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** The backend's reply. With `hang` it sends none until the backend closes. */
export type BackendReply =
  | { readonly status: number; readonly body: string; readonly contentType?: string }
  | 'hang';

export interface MockBackend {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly received: ReceivedRequest[];
  /** Resolves with the next request received, or the first one not yet taken. */
  nextRequest(): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

/** Starts a backend that replies to every request with `reply(request)`. */
export async function startMockBackend(
  reply: (request: ReceivedRequest) => BackendReply,
): Promise<MockBackend> {
  const received: ReceivedRequest[] = [];
  const waiters: ((request: ReceivedRequest) => void)[] = [];
  let taken = 0;

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const record: ReceivedRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      };
      received.push(record);
      const waiter = waiters.shift();
      if (waiter !== undefined) {
        taken += 1;
        waiter(record);
      }

      const answer = reply(record);
      if (answer === 'hang') return;
      response.writeHead(answer.status, {
        'Content-Type': answer.contentType ?? 'application/json; charset=utf-8',
      });
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    nextRequest: () => {
      const ready = received[taken];
      if (ready !== undefined) {
        taken += 1;
        return Promise.resolve(ready);
      }
      return new Promise((resolve) => waiters.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Returns `http://127.0.0.1:<port>` of a port that was just closed, so connecting fails. */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

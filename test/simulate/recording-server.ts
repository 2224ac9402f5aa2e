/**
 * A local HTTP server on 127.0.0.1 that records every request it receives, for tests that
 * run the simulator against a real socket.
 */
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly raw: string;
  /** The parsed body, or undefined when it is not JSON. */
  readonly body: Record<string, unknown> | undefined;
}

/** Decides the reply; `undefined` leaves the request unanswered until the server closes. */
export type ReplyPlan = (
  request: RecordedRequest,
  index: number,
) => { status: number; body: string } | undefined;

export const SUCCESS_REPLY = {
  status: 200,
  body: JSON.stringify({ error_code: 0, error_msg: '成功' }),
};
export const FAILURE_REPLY = {
  status: 500,
  body: JSON.stringify({ error_code: 1, error_msg: '失败' }),
};

export interface RecordingServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Resolves once at least `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  /** Resolves once a request that `accept` accepts has arrived. */
  waitForRequest(accept: (request: RecordedRequest) => boolean): Promise<void>;
  close(): Promise<void>;
}

/** Starts a recording server on 127.0.0.1 with an OS-assigned port. */
export async function startRecordingServer(
  plan: ReplyPlan = () => SUCCESS_REPLY,
): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const arrivals = new EventEmitter();
  arrivals.setMaxListeners(0);

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        contentType: request.headers['content-type'],
        raw,
        body: parseObject(raw),
      };
      const index = requests.length;
      requests.push(recorded);
      arrivals.emit('request');

      const reply = plan(recorded, index);
      if (reply === undefined) return;
      response.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8' });
      response.end(reply.body);
    });
  });

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async waitForRequests(count: number): Promise<void> {
      while (requests.length < count) await once(arrivals, 'request');
    },
    async waitForRequest(accept: (request: RecordedRequest) => boolean): Promise<void> {
      while (!requests.some(accept)) await once(arrivals, 'request');
    },
    async close(): Promise<void> {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function parseObject(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

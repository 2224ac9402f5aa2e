/**
 * The HTTP load generator, run as a child process so that its work does not count against the
 * server's event loop. On each `run` command it posts small task updates with a fixed number of
 * requests in flight over keep-alive connections, then replies with a `report`.
 */
import { Agent, request } from 'node:http';
import { loadUpdateBody } from './bodies.js';
import { type Message, serveParent } from './child.js';
import { assertLoopback } from './setup.js';
import { elapsedNs, now, percentile } from './stats.js';

/** The `run` command: where to post and how much. */
export interface LoadCommand extends Message {
  readonly type: 'run';
  readonly url: string;
  readonly count: number;
  readonly concurrency: number;
  readonly capMs: number;
  /** Index of the first update, so that successive runs keep sending newer task states. */
  readonly startIndex: number;
}

/** The reply to `run`. Latencies cover the successful requests only. */
export interface LoadReport extends Message {
  readonly type: 'report';
  readonly completed: number;
  readonly failed: number;
  readonly firstFailure: string;
  readonly ns: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

const REQUEST_TIMEOUT_MS = 10_000;

/** Maximum lifetime of this process, whatever the parent does. */
const MAX_LIFETIME_MS = 10 * 60_000;

interface Reply {
  readonly status: number;
  readonly body: string;
}

function post(agent: Agent, url: URL, body: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );

    outgoing.setTimeout(REQUEST_TIMEOUT_MS, () =>
      outgoing.destroy(new Error(`request timed out after ${REQUEST_TIMEOUT_MS} ms`)),
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Posts the updates of one `run` command and measures them. */
async function runLoad(command: LoadCommand): Promise<LoadReport> {
  const url = assertLoopback(command.url);
  const bodies = Array.from({ length: command.count }, (_, i) =>
    loadUpdateBody(command.startIndex + i),
  );
  const agent = new Agent({ keepAlive: true, maxSockets: command.concurrency });
  const latenciesMs = new Float64Array(command.count);
  let next = 0;
  let completed = 0;
  let failed = 0;
  let firstFailure = '';

  const capNs = command.capMs * 1e6;
  const start = now();

  const worker = async (): Promise<void> => {
    while (next < bodies.length && elapsedNs(start) < capNs) {
      const body = bodies[next] as string;
      next += 1;

      const sentAt = now();
      try {
        const reply = await post(agent, url, body);
        if (reply.status !== 200 || !reply.body.includes('"error_code":0'))
          throw new Error(`HTTP ${reply.status}: ${reply.body.slice(0, 200)}`);
        latenciesMs[completed] = elapsedNs(sentAt) / 1e6;
        completed += 1;
      } catch (error) {
        failed += 1;
        if (firstFailure === '') firstFailure = (error as Error).message;
      }
    }
  };

  await Promise.all(Array.from({ length: command.concurrency }, worker));
  const ns = elapsedNs(start);
  agent.destroy();

  const sorted = latenciesMs.subarray(0, completed).sort();
  return {
    type: 'report',
    completed,
    failed,
    firstFailure,
    ns,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
  };
}

serveParent(async (command, reply) => {
  if (command.type !== 'run') throw new Error(`unknown command "${command.type}"`);
  reply(await runLoad(command as LoadCommand));
}, MAX_LIFETIME_MS);

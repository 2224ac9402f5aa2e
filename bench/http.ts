/**
 * Section 2: callbacks over HTTP on loopback. A load generator in a child process posts small
 * task updates to the real relay, and to a bare `node:http` server in this process that only
 * reads the body, parses it and returns the same success envelope.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OK_REPLY } from '../src/protocol/reply.js';
import { LOAD_TASKS } from './bodies.js';
import { ChildScript } from './child.js';
import type { LoadCommand, LoadReport } from './load-client.js';
import { createBenchRelay } from './setup.js';
import { median, ROUNDS, runRounds } from './stats.js';
import type { Row, Section } from './table.js';

export const CALLBACK_PATH = '/api/task/updateinfo';
export const REQUESTS_PER_ROUND = 20_000;
export const CONCURRENCY = 16;
const ROUND_CAP_MS = 10_000;

/** Time the parent waits for one round's report: the cap plus the child's request timeout. */
const REPORT_TIMEOUT_MS = ROUND_CAP_MS + 15_000;

const OK_BODY = Buffer.from(JSON.stringify(OK_REPLY));

/** A server to post to, and how to stop it. */
export interface Target {
  readonly url: string;
  close(): Promise<void>;
}

function answerBare(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      response.writeHead(400).end();
      return;
    }

    response.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': OK_BODY.length,
    });
    response.end(OK_BODY);
  });
}

/** Starts the baseline: a bare `node:http` server on 127.0.0.1 and a free port. */
export async function startBareServer(): Promise<Target> {
  const server: Server = createServer(answerBare);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

async function startRelayTarget(): Promise<Target> {
  const relay = createBenchRelay();
  const base = await relay.listen();
  return { url: `${base}${CALLBACK_PATH}`, close: () => relay.close() };
}

/** Runs one round of load against `target` and fails on any request that did not succeed. */
export async function runLoad(
  loader: ChildScript,
  target: Target,
  round: number,
): Promise<LoadReport> {
  const command: LoadCommand = {
    type: 'run',
    url: target.url,
    count: REQUESTS_PER_ROUND,
    concurrency: CONCURRENCY,
    capMs: ROUND_CAP_MS,
    startIndex: round * REQUESTS_PER_ROUND,
  };
  const report = (await loader.request(command, 'report', REPORT_TIMEOUT_MS)) as LoadReport;

  if (report.failed > 0) {
    throw new Error(
      `HTTP load against ${target.url}: ${report.failed} of ${report.failed + report.completed} ` +
        `requests failed, first: ${report.firstFailure}`,
    );
  }
  return report;
}

/** Builds the rate and latency rows of a load comparison; `name` labels the case. */
export function rows(
  relay: readonly LoadReport[],
  bare: readonly LoadReport[],
  name = `small updates, ${CONCURRENCY} in flight`,
): Row[] {
  const medianOf = (reports: readonly LoadReport[], read: (report: LoadReport) => number) =>
    median(reports.map(read));
  const rate = (report: LoadReport): number => (report.completed * 1e9) / report.ns;

  return [
    { name, result: medianOf(relay, rate), unit: 'requests/s', baseline: medianOf(bare, rate) },
    {
      name,
      result: medianOf(relay, (report) => report.p50Ms),
      unit: 'ms p50 latency',
      baseline: medianOf(bare, (report) => report.p50Ms),
    },
    {
      name,
      result: medianOf(relay, (report) => report.p99Ms),
      unit: 'ms p99 latency',
      baseline: medianOf(bare, (report) => report.p99Ms),
    },
  ];
}

/** Measures section 2 and returns its rows and description. */
export async function benchHttp(): Promise<Section> {
  const relay = await startRelayTarget();
  const bare = await startBareServer();
  const loader = await ChildScript.start(new URL('./load-client.ts', import.meta.url));

  try {
    // Rounds alternate between the two servers, so a slow phase of the machine hits both.
    const rounds = await runRounds(ROUNDS, async (round) => ({
      bare: await runLoad(loader, bare, round),
      relay: await runLoad(loader, relay, round),
    }));

    return {
      title: '2. HTTP ingest over loopback (relay vs bare node:http)',
      description:
        'A child process (`bench/load-client.ts`) posts small task updates to ' +
        `\`${CALLBACK_PATH}\` with \`node:http\`, a keep-alive Agent and ${CONCURRENCY} requests ` +
        `in flight, ${REQUESTS_PER_ROUND.toLocaleString('en-US')} requests or ${ROUND_CAP_MS / 1000} s ` +
        `per round, whichever comes first. The updates cycle over ${LOAD_TASKS.toLocaleString('en-US')} ` +
        'tasks with rising progress, so each one changes its task and publishes an event. The ' +
        'relay is `createRelay` with the default settings on 127.0.0.1, a free port and a silent ' +
        'logger. The baseline is a bare `node:http` server in the benchmark process that reads ' +
        'the body, runs `JSON.parse` on it and returns the same `{"error_code":0,"error_msg":"成功"}` ' +
        'envelope, driven by the same load generator. Rounds alternate between the two servers. ' +
        'Latencies are measured in the child, from sending a request to the end of its response; ' +
        'p50 and p99 are taken per round and the table shows their median over the rounds. ' +
        'Both servers share the machine with the load generator.',
      rows: rows(
        rounds.map((round) => round.relay),
        rounds.map((round) => round.bare),
      ),
    };
  } finally {
    await loader.stop();
    await bare.close();
    await relay.close();
  }
}

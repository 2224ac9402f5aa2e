/**
 * Section 3 (b): fan-out over real WebSocket connections on loopback. A child process runs the
 * subscribers. This process feeds callbacks to the relay, or pre-encoded frames to a bare `ws`
 * server, and waits until the child reports that every client has all its events.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { acceptTaskCallback } from '../src/ingest/accept-task.js';
import type { Relay } from '../src/relay.js';
import { smallTaskBody } from './bodies.js';
import { ChildScript } from './child.js';
import { createBenchRelay, ingestDeps } from './setup.js';
import { elapsedNs, median, now, ROUNDS, runRounds } from './stats.js';
import type { Row } from './table.js';
import type { ConnectCommand, ExpectCommand, ReceivedReport } from './ws-clients.js';

const CLIENTS = 200;
const AGENCIES = 10;
const CALLBACKS = 2_000;
const TASKS = 500;
const PER_CLIENT = CALLBACKS / AGENCIES;
const DELIVERIES = (CLIENTS / AGENCIES) * CALLBACKS;
const DELIVERY_TIMEOUT_MS = 20_000;
const REPLY_TIMEOUT_MS = 30_000;

const AGENCY_IDS = Array.from({ length: AGENCIES }, (_, i) => 1 + i);

/** Description of section 3 (b) for the document. */
export const SOCKET_FANOUT_DESCRIPTION =
  `(b) A child process (\`bench/ws-clients.ts\`) opens ${CLIENTS} \`ws\` clients, each ` +
  `subscribed to one of ${AGENCIES} agencies. Each round, this process hands ` +
  `${CALLBACKS.toLocaleString('en-US')} small task updates (spread evenly over the agencies) to ` +
  '`acceptTaskCallback` on a relay listening on 127.0.0.1, in one synchronous loop. The clock ' +
  'stops when the child reports over IPC that every client has all ' +
  `${PER_CLIENT} of its events (${DELIVERIES.toLocaleString('en-US')} deliveries). The relay's ` +
  'time therefore includes reading and applying the callbacks (section 1 measures that part ' +
  'alone). The baseline is a bare `ws` `WebSocketServer` in this process, with the same ' +
  'clients and subscriptions, that sends the frames the relay encodes for the same updates ' +
  '(encoded before its clock starts) to the sockets of the matching agency.';

/** A frame for the bare server, with the agency whose subscribers get it. */
interface AgencyFrame {
  readonly agency: number;
  readonly frame: Buffer;
}

/** The baseline: a `ws` server that files each socket under the agency of its subscribe frame. */
interface BareBroadcaster {
  readonly url: string;
  broadcast(frames: readonly AgencyFrame[]): void;
  close(): Promise<void>;
}

async function startBareBroadcaster(): Promise<BareBroadcaster> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await once(server, 'listening');
  const byAgency = new Map<number, WebSocket[]>();

  server.on('connection', (socket) => {
    socket.once('message', (data) => {
      const frame = JSON.parse(String(data)) as { agencies?: number[] };
      const agency = frame.agencies?.[0] ?? 0;
      byAgency.set(agency, [...(byAgency.get(agency) ?? []), socket]);
      socket.send('{"type":"subscribed"}');
    });
  });

  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    broadcast(frames) {
      for (const { agency, frame } of frames) {
        for (const socket of byAgency.get(agency) ?? []) socket.send(frame, { binary: false });
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Builds the updates of round `round`: every task advances, tasks spread evenly over agencies. */
function roundBodies(round: number): string[] {
  return Array.from({ length: CALLBACKS }, (_, i) => {
    const index = round * CALLBACKS + i;
    const task = index % TASKS;
    return smallTaskBody(4_000_000 + task, 1 + (task % AGENCIES), Math.floor(index / TASKS) + 1);
  });
}

/** Feeds the bodies to a relay that does not listen, and keeps the frames it publishes. */
function encodeFrames(shadow: Relay, bodies: readonly string[]): AgencyFrame[] {
  const deps = ingestDeps(shadow);
  return bodies.map((body) => {
    const { published } = acceptTaskCallback(deps, 'update', body, Date.now());
    if (published === undefined) throw new Error('fan-out: an update published no event');
    return { agency: published.event.task.agencyUserId, frame: published.frame };
  });
}

/** Arms the child, runs `feed`, and returns the nanoseconds until every client has its events. */
async function timeDelivery(
  clients: ChildScript,
  label: string,
  feed: () => void,
): Promise<number> {
  const command: ExpectCommand = {
    type: 'expect',
    perClient: PER_CLIENT,
    timeoutMs: DELIVERY_TIMEOUT_MS,
  };
  await clients.request(command, 'armed', REPLY_TIMEOUT_MS);

  const start = now();
  feed();
  const report = (await clients.next(REPLY_TIMEOUT_MS, 'received')) as ReceivedReport;
  const ns = elapsedNs(start);

  if (!report.complete || report.maxPerClient !== PER_CLIENT) {
    throw new Error(
      `fan-out (${label}): clients received ${report.minPerClient} to ${report.maxPerClient} ` +
        `events each within ${DELIVERY_TIMEOUT_MS} ms, expected ${PER_CLIENT}`,
    );
  }
  return ns;
}

async function connectClients(url: string): Promise<ChildScript> {
  const clients = await ChildScript.start(new URL('./ws-clients.ts', import.meta.url));
  const command: ConnectCommand = {
    type: 'connect',
    url,
    clients: CLIENTS,
    agencies: AGENCY_IDS,
  };
  await clients.request(command, 'connected', REPLY_TIMEOUT_MS);
  return clients;
}

async function closeClients(clients: ChildScript | undefined): Promise<void> {
  if (clients === undefined) return;
  await clients.request({ type: 'close' }, 'closed', REPLY_TIMEOUT_MS).catch(() => undefined);
  await clients.stop();
}

function rows(relayNs: readonly number[], bareNs: readonly number[]): Row[] {
  const name = `${CLIENTS} ws clients, ${AGENCIES} agencies, ${CALLBACKS.toLocaleString('en-US')} updates`;
  const rate = (ns: number): number => (DELIVERIES * 1e9) / ns;

  return [
    {
      name,
      result: median(relayNs.map(rate)),
      unit: 'deliveries/s',
      baseline: median(bareNs.map(rate)),
    },
    {
      name,
      result: median(relayNs) / 1e6,
      unit: 'ms until all delivered',
      baseline: median(bareNs) / 1e6,
    },
  ];
}

/** Measures part (b): the relay over real sockets against the bare `ws` server. */
export async function benchSocketFanout(): Promise<Row[]> {
  const relay = createBenchRelay();
  const shadow = createBenchRelay();
  const bare = await startBareBroadcaster();
  let relayClients: ChildScript | undefined;
  let bareClients: ChildScript | undefined;

  try {
    const relayUrl = `${(await relay.listen()).replace(/^http/, 'ws')}/ws`;
    relayClients = await connectClients(relayUrl);
    bareClients = await connectClients(bare.url);
    const deps = ingestDeps(relay);
    const relayChild = relayClients;
    const bareChild = bareClients;

    // Rounds alternate between the two servers, so a slow phase of the machine hits both.
    const rounds = await runRounds(ROUNDS, async (round) => {
      const bodies = roundBodies(round);
      const frames = encodeFrames(shadow, bodies);
      const bareNs = await timeDelivery(bareChild, 'bare ws', () => bare.broadcast(frames));

      const nowMs = Date.now();
      const relayNs = await timeDelivery(relayChild, 'relay', () => {
        for (const body of bodies) acceptTaskCallback(deps, 'update', body, nowMs);
      });
      return { relayNs, bareNs };
    });

    return rows(
      rounds.map((round) => round.relayNs),
      rounds.map((round) => round.bareNs),
    );
  } finally {
    await closeClients(relayClients);
    await closeClients(bareClients);
    await bare.close();
    await relay.close();
    await shadow.close();
  }
}

/**
 * WebSocket subscribers for the fan-out benchmark, run as a child process. Commands:
 * - `connect`: open `clients` sockets to `url`, subscribe client i to agency `agencies[i mod n]`
 *   and reply `connected` once every client has its `subscribed` frame.
 * - `expect`: reset the counts, reply `armed`, then reply `received` once every client has
 *   `perClient` event frames, or when `timeoutMs` has passed.
 * - `close`: close every socket and reply `closed`.
 */
import WebSocket, { type RawData } from 'ws';
import { type Message, serveParent } from './child.js';
import { assertLoopback } from './setup.js';

/** The `connect` command. */
export interface ConnectCommand extends Message {
  readonly type: 'connect';
  readonly url: string;
  readonly clients: number;
  readonly agencies: readonly number[];
}

/** The `expect` command. */
export interface ExpectCommand extends Message {
  readonly type: 'expect';
  readonly perClient: number;
  readonly timeoutMs: number;
}

/** The reply to `expect` once it is settled. */
export interface ReceivedReport extends Message {
  readonly type: 'received';
  readonly complete: boolean;
  readonly total: number;
  readonly minPerClient: number;
  readonly maxPerClient: number;
}

const CONNECT_TIMEOUT_MS = 20_000;
const CLOSE_TIMEOUT_MS = 5_000;
const MAX_LIFETIME_MS = 10 * 60_000;

/** First bytes of every event frame the relay sends. Welcome, subscribed and heartbeat frames start otherwise. */
const EVENT_PREFIX = Buffer.from('{"type":"task.');

interface Client {
  readonly socket: WebSocket;
  events: number;
}

const clients: Client[] = [];

/** The `expect` command in progress, if any. */
let expectation:
  | { perClient: number; completeClients: number; finish: (complete: boolean) => void }
  | undefined;

function isEventFrame(data: RawData): boolean {
  if (!Buffer.isBuffer(data) || data.length < EVENT_PREFIX.length) return false;
  return data.subarray(0, EVENT_PREFIX.length).equals(EVENT_PREFIX);
}

function countEvent(client: Client): void {
  client.events += 1;
  if (expectation === undefined || client.events !== expectation.perClient) return;

  expectation.completeClients += 1;
  if (expectation.completeClients === clients.length) expectation.finish(true);
}

/** Opens one subscriber and resolves once the server confirms its subscription. */
function openClient(url: string, agency: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const client: Client = { socket, events: 0 };
    let subscribed = false;

    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'subscribe', id: 'bench', agencies: [agency] }));
    });
    socket.on('message', (data) => {
      if (isEventFrame(data)) {
        countEvent(client);
      } else if (!subscribed && String(data).includes('"type":"subscribed"')) {
        subscribed = true;
        resolve(client);
      }
    });
    socket.on('error', reject);
    socket.on('close', (code) => {
      if (!subscribed) reject(new Error(`socket to ${url} closed with ${code} before subscribing`));
    });
  });
}

async function connect(command: ConnectCommand): Promise<Message> {
  assertLoopback(command.url);

  const opening = Array.from({ length: command.clients }, (_, i) =>
    openClient(command.url, command.agencies[i % command.agencies.length] as number),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`clients not subscribed within ${CONNECT_TIMEOUT_MS} ms`)),
      CONNECT_TIMEOUT_MS,
    );
  });

  try {
    clients.push(...(await Promise.race([Promise.all(opening), timeout])));
  } finally {
    clearTimeout(timer);
  }
  return { type: 'connected', clients: clients.length };
}

function expect(command: ExpectCommand, reply: (message: Message) => void): void {
  for (const client of clients) client.events = 0;

  const timer = setTimeout(() => expectation?.finish(false), command.timeoutMs);
  expectation = {
    perClient: command.perClient,
    completeClients: 0,
    finish: (complete) => {
      clearTimeout(timer);
      expectation = undefined;
      reply(report(complete));
    },
  };
  reply({ type: 'armed' });
}

function report(complete: boolean): ReceivedReport {
  const counts = clients.map((client) => client.events);
  return {
    type: 'received',
    complete,
    total: counts.reduce((sum, count) => sum + count, 0),
    minPerClient: Math.min(...counts),
    maxPerClient: Math.max(...counts),
  };
}

async function closeAll(): Promise<Message> {
  const closed = clients.map(
    (client) =>
      new Promise<void>((resolve) => {
        if (client.socket.readyState === WebSocket.CLOSED) return resolve();
        client.socket.once('close', () => resolve());
        client.socket.close(1000, 'benchmark done');
      }),
  );

  const timer = setTimeout(() => {
    for (const client of clients) client.socket.terminate();
  }, CLOSE_TIMEOUT_MS);
  await Promise.all(closed);
  clearTimeout(timer);

  clients.length = 0;
  return { type: 'closed' };
}

serveParent(async (command, reply) => {
  if (command.type === 'connect') reply(await connect(command as ConnectCommand));
  else if (command.type === 'expect') expect(command as ExpectCommand, reply);
  else if (command.type === 'close') reply(await closeAll());
  else throw new Error(`unknown command "${command.type}"`);
}, MAX_LIFETIME_MS);

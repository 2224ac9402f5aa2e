import { afterEach, describe, expect, it } from 'vitest';
import { reconnectDelayMs } from '../../src/client/backoff.js';
import type {
  SocketEventLike,
  SocketLike,
  WebSocketConstructorLike,
} from '../../src/client/index.js';
import { createRandom } from '../../src/simulate/random.js';
import { type RunningRelay, startRelay } from '../helpers/relay.js';
import { RecordedClient } from './support.js';

type Listener = (event: SocketEventLike) => void;

/** A socket the test drives by hand; every instance is kept in `sockets`. */
class ScriptedSocket implements SocketLike {
  static sockets: ScriptedSocket[] = [];
  /** When set, every new socket fails as a refused connection would. */
  static refuse = false;
  readyState = 0;
  readonly sent: string[] = [];
  readonly #listeners = new Map<string, Listener[]>();

  constructor(readonly url: string) {
    ScriptedSocket.sockets.push(this);
    if (ScriptedSocket.refuse) queueMicrotask(() => this.fire('close', { code: 1006, reason: '' }));
  }

  send(data: string): void {
    this.sent.push(data);
  }

  close(): void {
    this.readyState = 3;
  }

  addEventListener(type: string, listener: Listener): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }

  fire(type: string, fields: Omit<SocketEventLike, 'type'> = {}): void {
    const event: SocketEventLike = { type, ...fields };
    if (type === 'open') this.readyState = 1;
    if (type === 'close') this.readyState = 3;
    for (const listener of this.#listeners.get(type) ?? []) listener(event);
  }

  receive(frame: Record<string, unknown>): void {
    this.fire('message', { data: JSON.stringify(frame) });
  }
}

const Scripted: WebSocketConstructorLike = ScriptedSocket;

function eventFrame(seq: number, id: number): Record<string, unknown> {
  return {
    type: 'task.deleted',
    seq,
    epoch: 'e1',
    at: 1,
    task: { id, name: '', owner: 1, ownerName: '', agencyUserId: 3, status: 2, statusName: 'done' },
    changes: {},
    previous: {},
    outputFilesAdded: [],
  };
}

describe('client liveness', () => {
  let running: RunningRelay | undefined;
  const clients: RecordedClient[] = [];

  afterEach(async () => {
    for (const recorded of clients.splice(0)) recorded.client.close();
    ScriptedSocket.sockets = [];
    ScriptedSocket.refuse = false;
    await running?.close();
    running = undefined;
  });

  it('drops a silent connection', async () => {
    running = await startRelay({ heartbeatIntervalMs: 60_000 });
    const recorded = new RecordedClient({ url: running.url, pingIntervalMs: 50 });
    clients.push(recorded);
    recorded.client.start();
    await recorded.waitForState('connected');

    for (const socket of running.relay.ws.server.clients) socket.pause();
    await recorded.waitForState('connected', 2);

    const [reconnect] = recorded.statesNamed('reconnecting');
    expect(reconnect?.reason).toContain('ping intervals');
    expect(reconnect?.code).toBeUndefined();
  });

  it('keeps a quiet connection alive', async () => {
    running = await startRelay({ heartbeatIntervalMs: 60_000 });
    // 250 ms rounds leave the watchdog 500 ms of slack, so a loaded machine does not trip it.
    const recorded = new RecordedClient({ url: running.url, pingIntervalMs: 250 });
    clients.push(recorded);
    recorded.client.start();
    await recorded.waitForState('connected');

    // Six ping rounds, each answered with a pong: the watchdog must not fire. A close ends the
    // wait too, so a dropped connection fails the assertion below instead of timing out.
    const server = [...running.relay.ws.server.clients][0];
    await new Promise<void>((resolve) => {
      let pings = 0;
      server?.on('message', () => {
        pings += 1;
        if (pings === 6) resolve();
      });
      server?.once('close', () => resolve());
    });
    expect(recorded.statesNamed('reconnecting')).toEqual([]);
  });

  it('ignores stale socket callbacks', async () => {
    const recorded = new RecordedClient({ url: 'ws://127.0.0.1:9/ws', WebSocket: Scripted });
    clients.push(recorded);
    recorded.client.start();
    const first = ScriptedSocket.sockets[0] as ScriptedSocket;
    first.fire('open');
    first.receive({ type: 'welcome', epoch: 'e1', seq: 0 });
    const firstId = JSON.parse(first.sent[0] as string).id;
    first.receive({
      type: 'subscribed',
      id: firstId,
      epoch: 'e1',
      seq: 0,
      recovered: false,
      tasks: [],
    });
    first.receive(eventFrame(1, 10));
    first.fire('close', { code: 1006, reason: '' });
    await recorded.waitForState('connecting', 2);
    expect(ScriptedSocket.sockets).toHaveLength(2);

    first.receive(eventFrame(2, 11));
    first.fire('close', { code: 4500, reason: 'stale' });
    expect(recorded.events.map((event) => event.seq)).toEqual([1]);
    expect(recorded.client.state).toBe('connecting');
    expect(recorded.errors).toEqual([]);

    const second = ScriptedSocket.sockets[1] as ScriptedSocket;
    second.fire('open');
    second.receive({ type: 'welcome', epoch: 'e1', seq: 2 });
    const subscribe = JSON.parse(second.sent[0] as string);
    expect(subscribe.since).toEqual({ epoch: 'e1', seq: 1 });
    second.receive({
      type: 'subscribed',
      id: subscribe.id,
      epoch: 'e1',
      seq: 2,
      recovered: true,
      tasks: [],
    });
    second.receive(eventFrame(1, 10));
    second.receive(eventFrame(2, 11));
    expect(recorded.events.map((event) => event.seq)).toEqual([1, 2]);
    expect(recorded.client.state).toBe('connected');
  });

  it('reports exponential delays capped', async () => {
    ScriptedSocket.refuse = true;
    const recorded = new RecordedClient({
      url: 'ws://127.0.0.1:9/ws',
      WebSocket: Scripted,
      minReconnectDelayMs: 5,
      maxReconnectDelayMs: 100,
      random: () => 0.999_999,
    });
    clients.push(recorded);
    recorded.client.start();
    await recorded.waitForState('reconnecting', 6);
    recorded.client.close();

    const delays = recorded.statesNamed('reconnecting').map((info) => info.delayMs);
    expect(delays.slice(0, 6)).toEqual([20, 40, 80, 100, 100, 100]);
  });

  it('spreads 300 clients first delays', async () => {
    ScriptedSocket.refuse = true;
    const seeds = Array.from({ length: 300 }, (_, index) => 7000 + index);
    for (const seed of seeds) {
      const recorded = new RecordedClient({
        url: 'ws://127.0.0.1:9/ws',
        WebSocket: Scripted,
        minReconnectDelayMs: 500,
        maxReconnectDelayMs: 20_000,
        random: createRandom(seed),
      });
      clients.push(recorded);
      recorded.client.start();
    }
    await Promise.all(clients.map((recorded) => recorded.waitForState('reconnecting')));

    const delays = clients.map(
      (recorded) => recorded.statesNamed('reconnecting')[0]?.delayMs ?? -1,
    );
    const expected = seeds.map((seed) =>
      reconnectDelayMs(0, { minMs: 500, maxMs: 20_000 }, createRandom(seed)),
    );
    expect(delays).toEqual(expected);
    const buckets = new Map<number, number>();
    for (const delay of delays) {
      buckets.set(Math.floor(delay / 100), (buckets.get(Math.floor(delay / 100)) ?? 0) + 1);
    }
    expect(Math.max(...buckets.values())).toBeLessThanOrEqual(33);
  });
});

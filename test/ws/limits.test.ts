import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningRelay, startRelay } from '../helpers/relay.js';
import { TestClient } from '../helpers/ws-client.js';
import { closeSocket, readMetric, waitFor } from './support.js';

/** How an upgrade attempt ended: the socket opened, or the relay rejected it with an HTTP status. */
type UpgradeOutcome =
  | { readonly kind: 'open'; readonly socket: WebSocket }
  | {
      readonly kind: 'rejected';
      readonly status: number;
      readonly retryAfter: string | undefined;
      readonly errorCode: string | undefined;
    };

/** Attempts one upgrade and resolves with its outcome. A network error rejects the promise. */
function attemptUpgrade(wsUrl: string): Promise<UpgradeOutcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl);
    socket.once('open', () => resolve({ kind: 'open', socket }));
    socket.once('unexpected-response', (_request, response: IncomingMessage) => {
      resolve({
        kind: 'rejected',
        status: response.statusCode ?? 0,
        retryAfter: response.headers['retry-after'],
        errorCode: response.headers['x-relay-error'] as string | undefined,
      });
      response.resume();
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

describe('connection limit', () => {
  let running: RunningRelay | undefined;
  const clients: TestClient[] = [];
  const sockets: WebSocket[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    for (const socket of sockets.splice(0)) await closeSocket(socket);
    await running?.close();
    running = undefined;
  });

  it('rejects the third upgrade with 503', async () => {
    running = await startRelay({ maxConnections: 2 });
    clients.push(await TestClient.connect(running.wsUrl));
    clients.push(await TestClient.connect(running.wsUrl));
    const rejectedBefore = await readMetric(running.url, 'relay_connections_rejected_total');

    const outcome = await attemptUpgrade(running.wsUrl);

    expect(outcome.kind).toBe('rejected');
    if (outcome.kind !== 'rejected') return;
    expect(outcome.status).toBe(503);
    expect(outcome.retryAfter).toBe('5');
    // @hono/node-server 2.1.11 drops the body of a rejected upgrade, so the code comes as a header.
    expect(outcome.errorCode).toBe('RS_ERR_CONNECTIONS_LIMIT');
    const rejectedAfter = await readMetric(running.url, 'relay_connections_rejected_total');
    expect(rejectedAfter).toBe(rejectedBefore + 1);
    expect(running.relay.hub.connections).toBe(2);
  });

  it('accepts again after a close', async () => {
    running = await startRelay({ maxConnections: 2 });
    const first = await TestClient.connect(running.wsUrl);
    clients.push(await TestClient.connect(running.wsUrl));

    await first.close();
    await waitFor(() => running?.relay.ws.openSockets === 1, 'the relay to drop the socket');

    const outcome = await attemptUpgrade(running.wsUrl);
    expect(outcome.kind).toBe('open');
    if (outcome.kind === 'open') sockets.push(outcome.socket);
  });

  it('admits two of three concurrent upgrades', async () => {
    running = await startRelay({ maxConnections: 2 });

    const outcomes = await Promise.all([1, 2, 3].map(() => attemptUpgrade(running?.wsUrl ?? '')));
    for (const outcome of outcomes) if (outcome.kind === 'open') sockets.push(outcome.socket);

    const statuses = outcomes.map((outcome) => (outcome.kind === 'open' ? 'open' : outcome.status));
    expect(statuses.filter((status) => status === 'open')).toHaveLength(2);
    expect(statuses.filter((status) => status === 503)).toHaveLength(1);
    await waitFor(() => running?.relay.hub.connections === 2, 'two attached sessions');
  });
});

describe('subscription limit', () => {
  let running: RunningRelay | undefined;
  let client: TestClient | undefined;

  afterEach(async () => {
    await client?.close();
    await running?.close();
    client = undefined;
    running = undefined;
  });

  it('rejects the third subscription', async () => {
    running = await startRelay({ maxSubscriptionsPerConnection: 2 });
    client = await TestClient.connect(running.wsUrl);
    expect((await client.subscribe({ id: 's1', owners: [1] })).type).toBe('subscribed');
    expect((await client.subscribe({ id: 's2', owners: [2] })).type).toBe('subscribed');

    const reply = await client.subscribe({ id: 's3', owners: [3] });

    expect(reply.type).toBe('error');
    expect(reply.code).toBe('RS_ERR_SUBSCRIPTION_LIMIT');
    expect(reply.id).toBe('s3');
    expect(running.relay.hub.subscriptions).toBe(2);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('frees a slot on unsubscribe', async () => {
    running = await startRelay({ maxSubscriptionsPerConnection: 2 });
    client = await TestClient.connect(running.wsUrl);
    await client.subscribe({ id: 's1', owners: [1] });
    await client.subscribe({ id: 's2', owners: [2] });
    client.send({ type: 'unsubscribe', id: 's1' });
    await client.next((frame) => frame.type === 'unsubscribed');

    const reply = await client.subscribe({ id: 's3', owners: [3] });

    expect(reply.type).toBe('subscribed');
  });
});

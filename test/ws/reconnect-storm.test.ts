/**
 * A reconnect storm seen from the relay: hundreds of clients upgrading at the same moment after
 * a restart. Every upgrade gets an answer (a socket, or 429/503 with a code), and the relay keeps
 * serving. Spreading the reconnects out is the client's job, with backoff and jitter.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';

const CLIENTS = 300;

type Outcome =
  | { kind: 'open'; socket: WebSocket }
  | { kind: 'rejected'; status: number; code: string | undefined };

function upgrade(url: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve({ kind: 'open', socket }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({
        kind: 'rejected',
        status: response.statusCode ?? 0,
        code: response.headers['x-relay-error'] as string | undefined,
      });
      response.resume();
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

describe('reconnect storm', () => {
  let running: RunningRelay | undefined;
  const sockets: WebSocket[] = [];

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.terminate();
    await running?.close();
  });

  it('answers every upgrade after a restart', async () => {
    const first = await startRelay();
    const port = Number(new URL(first.url).port);
    await first.close();

    running = await startRelay({
      port,
      upgradeBurst: 200,
      upgradeRatePerSecond: 20,
      maxConnections: 250,
    });
    const outcomes = await Promise.all(
      Array.from({ length: CLIENTS }, () => upgrade(running?.wsUrl ?? '')),
    );
    for (const outcome of outcomes) if (outcome.kind === 'open') sockets.push(outcome.socket);

    const opened = outcomes.filter((outcome) => outcome.kind === 'open').length;
    const rejected = outcomes.filter((outcome) => outcome.kind === 'rejected');
    expect(opened + rejected.length).toBe(CLIENTS);
    expect(opened).toBeGreaterThan(0);
    // The burst of 200 refills at 20 a second while the storm lasts, so a few more may open.
    expect(rejected.length).toBeGreaterThan(0);
    for (const outcome of rejected) {
      expect([429, 503]).toContain(outcome.kind === 'rejected' ? outcome.status : 0);
      expect(['RS_ERR_RATE_LIMITED', 'RS_ERR_CONNECTIONS_LIMIT']).toContain(
        outcome.kind === 'rejected' ? outcome.code : '',
      );
    }

    const reply = await postCallback(running.url, 'updateinfo', baseTask());
    expect(reply.status).toBe(200);
    const health = await fetch(`${running.url}/healthz`);
    expect(health.status).toBe(200);
  });
});

/**
 * The checks before a socket opens, against a real relay: the browser Origin allow-list and the
 * per-address upgrade rate. Origins here are only header values sent to the loopback relay.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { mintSubscriberToken } from '../../src/access/tokens.js';
import type { RelayConfig } from '../../src/config.js';
import { type RunningRelay, startRelay } from '../helpers/relay.js';
import { TestClient } from '../helpers/ws-client.js';
import {
  attemptUpgrade,
  closeSocket,
  readCodeCounter,
  SECRET,
  type UpgradeOutcome,
} from './support.js';

const DASHBOARD = 'https://dash.example.com';
const FOREIGN = 'https://evil.example';

describe('upgrade guard', () => {
  let running: RunningRelay | undefined;
  const clients: TestClient[] = [];
  const sockets: WebSocket[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    for (const socket of sockets.splice(0)) await closeSocket(socket);
    await running?.close();
    running = undefined;
  });

  async function start(overrides: Partial<RelayConfig>): Promise<RunningRelay> {
    running = await startRelay(overrides);
    return running;
  }

  async function upgrade(
    url: string,
    headers: Record<string, string> = {},
  ): Promise<UpgradeOutcome> {
    const outcome = await attemptUpgrade(url, { headers });
    if (outcome.kind === 'open') sockets.push(outcome.socket);
    return outcome;
  }

  it('rejects a foreign origin', async () => {
    const relay = await start({ allowedOrigins: DASHBOARD });

    const outcome = await upgrade(relay.wsUrl, { Origin: FOREIGN });

    expect(outcome.kind).toBe('rejected');
    if (outcome.kind !== 'rejected') return;
    expect(outcome.status).toBe(403);
    expect(outcome.errorCode).toBe('RS_ERR_ORIGIN_FORBIDDEN');
    expect(relay.relay.hub.connections).toBe(0);
    expect(relay.relay.ws.openSockets).toBe(0);
  });

  it('counts a foreign origin', async () => {
    const relay = await start({ allowedOrigins: DASHBOARD });

    await upgrade(relay.wsUrl, { Origin: FOREIGN });

    const name = 'relay_access_denied_total';
    expect(await readCodeCounter(relay.url, name, 'RS_ERR_ORIGIN_FORBIDDEN')).toBe(1);
  });

  it('opens for the allowed origin', async () => {
    const relay = await start({ allowedOrigins: DASHBOARD });

    const client = await TestClient.connect(relay.wsUrl, { headers: { Origin: DASHBOARD } });
    clients.push(client);

    expect(client.frames[0]?.type).toBe('welcome');
  });

  it('opens without an Origin header', async () => {
    const relay = await start({ allowedOrigins: DASHBOARD });

    const client = await TestClient.connect(relay.wsUrl);
    clients.push(client);

    expect(client.frames[0]?.type).toBe('welcome');
  });

  it('still needs a token without Origin', async () => {
    const relay = await start({ allowedOrigins: DASHBOARD, jwtSecret: SECRET });

    const outcome = await upgrade(relay.wsUrl);

    expect(outcome.kind === 'rejected' ? outcome.errorCode : 'open').toBe('RS_ERR_TOKEN_MISSING');
  });

  it('checks origin before the token', async () => {
    const relay = await start({ allowedOrigins: DASHBOARD, jwtSecret: SECRET });
    const token = await mintSubscriberToken({ admin: true, ttlMs: 60_000 }, SECRET);

    const outcome = await upgrade(`${relay.wsUrl}?token=${token}`, { Origin: FOREIGN });

    expect(outcome.kind === 'rejected' ? outcome.errorCode : 'open').toBe(
      'RS_ERR_ORIGIN_FORBIDDEN',
    );
  });

  it('rejects a null origin', async () => {
    const relay = await start({ allowedOrigins: DASHBOARD });

    // Sandboxed frames and file: pages send the literal origin "null".
    const outcome = await upgrade(relay.wsUrl, { Origin: 'null' });

    expect(outcome.kind === 'rejected' ? outcome.status : 'open').toBe(403);
  });

  it('rate-limits the third rapid upgrade', async () => {
    const relay = await start({ upgradeRatePerSecond: 1, upgradeBurst: 2 });

    const outcomes = [
      await upgrade(relay.wsUrl),
      await upgrade(relay.wsUrl),
      await upgrade(relay.wsUrl),
    ];

    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['open', 'open', 'rejected']);
    const third = outcomes[2];
    if (third?.kind !== 'rejected') return;
    expect(third.status).toBe(429);
    expect(third.errorCode).toBe('RS_ERR_RATE_LIMITED');
    expect(third.retryAfter).toBe('1');
    const name = 'relay_access_denied_total';
    expect(await readCodeCounter(relay.url, name, 'RS_ERR_RATE_LIMITED')).toBe(1);
  });

  it('leaves REST reads outside the upgrade rate', async () => {
    const relay = await start({ upgradeRatePerSecond: 1, upgradeBurst: 1 });
    await upgrade(relay.wsUrl);

    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${relay.url}/api/tasks`);
      await response.text();
      statuses.push(response.status);
    }

    expect(statuses).toEqual([200, 200, 200]);
  });
});

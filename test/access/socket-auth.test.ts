/**
 * Subscriber tokens on the real socket: which upgrades are rejected with which status and code,
 * how a token may be passed, and the close when a token expires on an open connection.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { mintSubscriberToken } from '../../src/access/tokens.js';
import { CloseCode } from '../../src/errors.js';
import { type RunningRelay, startRelay } from '../helpers/relay.js';
import { TestClient } from '../helpers/ws-client.js';
import {
  attemptUpgrade,
  closeSocket,
  handMadeJwt,
  nowSeconds,
  readCodeCounter,
  SECRET,
  type UpgradeOutcome,
  within,
} from './support.js';

const HOUR_MS = 3_600_000;

describe('socket token checks', () => {
  let running: RunningRelay | undefined;
  const clients: TestClient[] = [];
  const sockets: WebSocket[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    for (const socket of sockets.splice(0)) await closeSocket(socket);
    await running?.close();
    running = undefined;
  });

  async function start(): Promise<RunningRelay> {
    running = await startRelay({ jwtSecret: SECRET });
    return running;
  }

  /** Attempts an upgrade with `?token=`; an opened socket is closed in `afterEach`. */
  async function upgradeWith(
    relay: RunningRelay,
    token: string | undefined,
  ): Promise<UpgradeOutcome> {
    const query = token === undefined ? '' : `?token=${encodeURIComponent(token)}`;
    const outcome = await attemptUpgrade(`${relay.wsUrl}${query}`);
    if (outcome.kind === 'open') sockets.push(outcome.socket);
    return outcome;
  }

  function expectRejected(outcome: UpgradeOutcome, status: number, code: string): void {
    expect(outcome.kind).toBe('rejected');
    if (outcome.kind !== 'rejected') return;
    expect(outcome.status).toBe(status);
    expect(outcome.errorCode).toBe(code);
  }

  it('rejects an upgrade without token', async () => {
    const relay = await start();

    const outcome = await upgradeWith(relay, undefined);

    expectRejected(outcome, 401, 'RS_ERR_TOKEN_MISSING');
    expect(relay.relay.hub.connections).toBe(0);
  });

  it('rejects a token with a foreign signature', async () => {
    const relay = await start();
    const token = await mintSubscriberToken({ admin: true, ttlMs: HOUR_MS }, 'y'.repeat(40));

    expectRejected(await upgradeWith(relay, token), 401, 'RS_ERR_TOKEN_INVALID');
  });

  it('rejects an unsigned alg none token', async () => {
    const relay = await start();
    const token = handMadeJwt(
      { alg: 'none', typ: 'JWT' },
      { admin: true, exp: nowSeconds() + 3600 },
    );

    expectRejected(await upgradeWith(relay, token), 401, 'RS_ERR_TOKEN_INVALID');
  });

  it('rejects an HS512 token', async () => {
    const relay = await start();
    const token = handMadeJwt(
      { alg: 'HS512', typ: 'JWT' },
      { admin: true, exp: nowSeconds() + 3600 },
      { hmac: 'sha512', secret: SECRET },
    );

    expectRejected(await upgradeWith(relay, token), 401, 'RS_ERR_TOKEN_INVALID');
  });

  it('rejects an RS256 header signed with HMAC', async () => {
    const relay = await start();
    // The classic confusion: an asymmetric algorithm name over an HMAC of the shared secret.
    const token = handMadeJwt(
      { alg: 'RS256', typ: 'JWT' },
      { admin: true, exp: nowSeconds() + 3600 },
      { hmac: 'sha256', secret: SECRET },
    );

    expectRejected(await upgradeWith(relay, token), 401, 'RS_ERR_TOKEN_INVALID');
  });

  it('rejects a signed token without exp', async () => {
    const relay = await start();
    const token = handMadeJwt(
      { alg: 'HS256', typ: 'JWT' },
      { admin: true },
      { hmac: 'sha256', secret: SECRET },
    );

    expectRejected(await upgradeWith(relay, token), 401, 'RS_ERR_TOKEN_INVALID');
  });

  it('rejects signed claims of wrong types', async () => {
    const relay = await start();
    const token = handMadeJwt(
      { alg: 'HS256', typ: 'JWT' },
      { owners: ['1601'], exp: nowSeconds() + 3600 },
      { hmac: 'sha256', secret: SECRET },
    );

    expectRejected(await upgradeWith(relay, token), 401, 'RS_ERR_TOKEN_INVALID');
  });

  it('rejects an expired token', async () => {
    const relay = await start();
    const token = await mintSubscriberToken(
      { admin: true, ttlMs: HOUR_MS, nowMs: Date.now() - 2 * HOUR_MS },
      SECRET,
    );

    expectRejected(await upgradeWith(relay, token), 401, 'RS_ERR_TOKEN_EXPIRED');
  });

  it('counts rejected upgrades by code', async () => {
    const relay = await start();
    const expired = await mintSubscriberToken(
      { admin: true, ttlMs: HOUR_MS, nowMs: Date.now() - 2 * HOUR_MS },
      SECRET,
    );

    await upgradeWith(relay, undefined);
    await upgradeWith(relay, undefined);
    await upgradeWith(relay, 'not-a-jwt');
    await upgradeWith(relay, expired);

    const name = 'relay_access_denied_total';
    expect(await readCodeCounter(relay.url, name, 'RS_ERR_TOKEN_MISSING')).toBe(2);
    expect(await readCodeCounter(relay.url, name, 'RS_ERR_TOKEN_INVALID')).toBe(1);
    expect(await readCodeCounter(relay.url, name, 'RS_ERR_TOKEN_EXPIRED')).toBe(1);
  });

  it('accepts a token in the query', async () => {
    const relay = await start();
    const token = await mintSubscriberToken({ owners: [1601], ttlMs: HOUR_MS }, SECRET);

    const client = await TestClient.connect(`${relay.wsUrl}?token=${token}`);
    clients.push(client);

    expect(client.frames[0]?.type).toBe('welcome');
  });

  it('accepts a bearer token header', async () => {
    const relay = await start();
    const token = await mintSubscriberToken({ owners: [1601], ttlMs: HOUR_MS }, SECRET);

    const client = await TestClient.connect(relay.wsUrl, {
      headers: { Authorization: `Bearer ${token}` },
    });
    clients.push(client);

    expect(client.frames[0]?.type).toBe('welcome');
  });

  it('closes with 4002 at token expiry', async () => {
    const relay = await start();
    // Expiry is counted in whole seconds, so this token lapses 1 to 2 s from now.
    const token = await mintSubscriberToken({ admin: true, ttlMs: 2000 }, SECRET);
    const client = await TestClient.connect(`${relay.wsUrl}?token=${token}`);
    clients.push(client);
    await client.subscribe({ id: 's' });

    const closed = await within(client.closed, 'the close at token expiry', 5000);

    expect(closed.code).toBe(CloseCode.TOKEN_EXPIRED);
    expect(relay.relay.hub.subscriptions).toBe(0);
  });
});

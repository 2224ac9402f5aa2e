/**
 * The checks on platform callbacks against a real relay: the callback token, the address
 * allow-list (with and without a trusted proxy) and the per-address rate limit. Every rejected
 * callback must leave the cache unchanged and be counted by error code.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RelayConfig } from '../../src/config.js';
import {
  baseTask,
  type PostResult,
  postCallback,
  type RunningRelay,
  startRelay,
} from '../helpers/relay.js';
import { readCodeCounter } from './support.js';

const INGEST_TOKEN = 'callback-token-5f1c9a';
const REJECTIONS = 'relay_callback_rejections_total';

describe('ingest checks', () => {
  let running: RunningRelay | undefined;

  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  async function start(overrides: Partial<RelayConfig>): Promise<RunningRelay> {
    running = await startRelay(overrides);
    return running;
  }

  function post(
    relay: RunningRelay,
    route: string,
    headers: Record<string, string> = {},
  ): Promise<PostResult> {
    return postCallback(relay.url, route, baseTask(), { headers });
  }

  function expectCacheUnchanged(relay: RunningRelay): void {
    expect(relay.relay.store.cache.size).toBe(0);
    expect(relay.relay.events.seq).toBe(0);
  }

  it('rejects a callback without token', async () => {
    const relay = await start({ ingestToken: INGEST_TOKEN });

    const reply = await post(relay, 'updateinfo');

    expect(reply.status).toBe(401);
    expect(reply.body.error_code).toBe(1);
    expect(reply.body.code).toBe('RS_ERR_INGEST_TOKEN_MISSING');
    expect(reply.body.error_msg).not.toContain(INGEST_TOKEN);
    expectCacheUnchanged(relay);
    expect(await readCodeCounter(relay.url, REJECTIONS, 'RS_ERR_INGEST_TOKEN_MISSING')).toBe(1);
  });

  it('rejects a wrong query token', async () => {
    const relay = await start({ ingestToken: INGEST_TOKEN });

    const reply = await post(relay, '/api/task/updateinfo?token=not-the-token');

    expect(reply.status).toBe(401);
    expect(reply.body.code).toBe('RS_ERR_INGEST_TOKEN_INVALID');
    expect(reply.body.error_msg).not.toContain(INGEST_TOKEN);
    expectCacheUnchanged(relay);
    expect(await readCodeCounter(relay.url, REJECTIONS, 'RS_ERR_INGEST_TOKEN_INVALID')).toBe(1);
  });

  it('rejects a wrong bearer token', async () => {
    const relay = await start({ ingestToken: INGEST_TOKEN });

    // A prefix of the right token, so a comparison that stops at the shorter length would pass.
    const reply = await post(relay, 'updateinfo', {
      Authorization: `Bearer ${INGEST_TOKEN.slice(0, 8)}`,
    });

    expect(reply.status).toBe(401);
    expect(reply.body.code).toBe('RS_ERR_INGEST_TOKEN_INVALID');
    expectCacheUnchanged(relay);
  });

  it('accepts the right query token', async () => {
    const relay = await start({ ingestToken: INGEST_TOKEN });

    const reply = await post(relay, `/api/frame/updateinfo?token=${INGEST_TOKEN}`);

    expect(reply.status).toBe(200);
    expect(reply.body.error_code).toBe(0);
    expect(relay.relay.store.cache.size).toBe(1);
  });

  it('accepts the right bearer token', async () => {
    const relay = await start({ ingestToken: INGEST_TOKEN });

    const reply = await post(relay, 'createinfo', { Authorization: `Bearer ${INGEST_TOKEN}` });

    expect(reply.status).toBe(200);
    expect(relay.relay.store.cache.size).toBe(1);
  });

  it('guards the delete callback', async () => {
    const relay = await start({ ingestToken: INGEST_TOKEN });
    await post(relay, `/api/task/updateinfo?token=${INGEST_TOKEN}`);

    const reply = await post(relay, '/api/frame/deleteinfo');

    expect(reply.status).toBe(401);
    expect(relay.relay.store.cache.size).toBe(1);
    expect(relay.relay.events.seq).toBe(1);
  });

  it('rejects loopback outside the allow-list', async () => {
    const relay = await start({ ingestAllow: '10.0.0.0/8' });

    const reply = await post(relay, 'updateinfo');

    expect(reply.status).toBe(403);
    expect(reply.body.error_code).toBe(1);
    expect(reply.body.code).toBe('RS_ERR_INGEST_ADDRESS_FORBIDDEN');
    expectCacheUnchanged(relay);
    const counted = await readCodeCounter(relay.url, REJECTIONS, 'RS_ERR_INGEST_ADDRESS_FORBIDDEN');
    expect(counted).toBe(1);
  });

  it('accepts loopback in the allow-list', async () => {
    const relay = await start({ ingestAllow: '127.0.0.0/8, ::1' });

    const reply = await post(relay, 'updateinfo');

    expect(reply.status).toBe(200);
    expect(relay.relay.store.cache.size).toBe(1);
  });

  it('trusts X-Forwarded-For behind a proxy', async () => {
    const relay = await start({ ingestAllow: '10.0.0.0/8', trustProxy: true });

    const reply = await post(relay, 'updateinfo', { 'X-Forwarded-For': '10.1.2.3' });

    expect(reply.status).toBe(200);
    expect(relay.relay.store.cache.size).toBe(1);
  });

  it('ignores X-Forwarded-For without trustProxy', async () => {
    const relay = await start({ ingestAllow: '10.0.0.0/8' });

    const reply = await post(relay, 'updateinfo', { 'X-Forwarded-For': '10.1.2.3' });

    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe('RS_ERR_INGEST_ADDRESS_FORBIDDEN');
    expectCacheUnchanged(relay);
  });

  it('uses the last forwarded address', async () => {
    const relay = await start({ ingestAllow: '10.0.0.0/8', trustProxy: true });

    // The first entry is whatever the client claimed; the proxy appended the real peer last.
    const reply = await post(relay, 'updateinfo', { 'X-Forwarded-For': '10.1.2.3, 192.0.2.7' });

    expect(reply.status).toBe(403);
    expectCacheUnchanged(relay);
  });

  it('rate-limits the fourth rapid callback', async () => {
    const relay = await start({ ingestRatePerSecond: 1, ingestBurst: 3 });

    const replies: PostResult[] = [];
    for (let id = 1; id <= 4; id++) {
      replies.push(await postCallback(relay.url, 'updateinfo', baseTask({ ID: id })));
    }

    expect(replies.slice(0, 3).map((reply) => reply.status)).toEqual([200, 200, 200]);
    expect(replies[3]?.status).toBe(429);
    expect(replies[3]?.body.error_code).toBe(1);
    expect(replies[3]?.body.code).toBe('RS_ERR_RATE_LIMITED');
    expect(relay.relay.store.cache.size).toBe(3);
    expect(await readCodeCounter(relay.url, REJECTIONS, 'RS_ERR_RATE_LIMITED')).toBe(1);
  });

  it('sends Retry-After when rate-limited', async () => {
    const relay = await start({ ingestRatePerSecond: 1, ingestBurst: 1 });
    await post(relay, 'updateinfo');

    const response = await fetch(`${relay.url}/api/task/updateinfo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(baseTask({ ID: 2 })),
    });
    await response.text();

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
  });

  it('names the code in X-Relay-Error', async () => {
    const relay = await start({ ingestToken: INGEST_TOKEN });

    const response = await fetch(`${relay.url}/api/task/updateinfo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(baseTask()),
    });
    await response.text();

    expect(response.status).toBe(401);
    expect(response.headers.get('x-relay-error')).toBe('RS_ERR_INGEST_TOKEN_MISSING');
  });

  it('does not count callbacks as reads', async () => {
    const relay = await start({ ingestToken: INGEST_TOKEN });

    await post(relay, 'updateinfo');

    const denied = await readCodeCounter(
      relay.url,
      'relay_access_denied_total',
      'RS_ERR_INGEST_TOKEN_MISSING',
    );
    expect(denied).toBe(0);
  });
});

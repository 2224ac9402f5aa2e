/**
 * The subscriber-token secret and the callback token never appear in logs, in `/metrics` or in
 * any reply, whether requests carry them, carry wrong values or carry them in the wrong place.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mintSubscriberToken } from '../../src/access/tokens.js';
import { baseTask, type RunningRelay, startRelay } from '../helpers/relay.js';
import { TestClient } from '../helpers/ws-client.js';
import { attemptUpgrade, scrapeMetrics } from './support.js';

const JWT_SECRET = 'jwt-secret-Vq8rT2mLx0KpZs4NwYc7Hd3Fb6';
const INGEST_TOKEN = 'ingest-token-Gh5Jk9Qe1Ru7Tm3Wy';

describe('secret handling', () => {
  let running: RunningRelay | undefined;
  let client: TestClient | undefined;

  afterEach(async () => {
    await client?.close();
    await running?.close();
    client = undefined;
    running = undefined;
  });

  it('keeps secrets out of every output', async () => {
    running = await startRelay({ jwtSecret: JWT_SECRET, ingestToken: INGEST_TOKEN });
    const { url, wsUrl } = running;
    const replies: string[] = [];
    const statuses: number[] = [];

    const send = async (path: string, init: RequestInit = {}): Promise<void> => {
      const response = await fetch(`${url}${path}`, init);
      statuses.push(response.status);
      replies.push(await response.text());
    };
    const callback = (path: string, headers: Record<string, string> = {}): Promise<void> =>
      send(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(baseTask()),
      });

    const token = await mintSubscriberToken({ owners: [1601], ttlMs: 60_000 }, JWT_SECRET);
    await callback('/api/task/updateinfo', { Authorization: `Bearer ${INGEST_TOKEN}` });
    await callback(`/api/frame/updateinfo?token=${INGEST_TOKEN}`);
    await callback('/api/task/updateinfo');
    await callback('/api/task/updateinfo?token=wrong');
    // The secrets sent where they do not belong must not be echoed either.
    await callback(`/api/task/updateinfo?token=${JWT_SECRET}`);
    await send(`/api/tasks?token=${INGEST_TOKEN}`);
    await send('/api/tasks', { headers: { Authorization: `Bearer ${JWT_SECRET}` } });
    await send(`/api/tasks?token=${token}`);
    await send(`/api/tasks?owner=1700&token=${token}`);
    await send('/api/tasks');

    const upgrade = await attemptUpgrade(`${wsUrl}?token=${JWT_SECRET}`);
    replies.push(JSON.stringify(upgrade.kind === 'rejected' ? upgrade : { kind: 'open' }));
    client = await TestClient.connect(`${wsUrl}?token=${token}`);
    const forbidden = await client.subscribe({ id: 'other', owners: [1700] });
    replies.push(JSON.stringify(client.frames));

    const metrics = await scrapeMetrics(url);
    await client.close();
    await running.close();
    const logs = JSON.stringify(running.logs);

    // The run must have covered both accepted and rejected requests to mean anything.
    expect(statuses).toEqual([200, 200, 401, 401, 401, 401, 401, 200, 403, 401]);
    expect(upgrade.kind).toBe('rejected');
    expect(forbidden.code).toBe('RS_ERR_FORBIDDEN');
    // The start-up record lists the configuration, with each secret replaced by a marker.
    expect(logs).toContain('"jwtSecret":"[set]"');
    expect(logs).toContain('"ingestToken":"[set]"');
    expect(logs).not.toContain(JWT_SECRET);
    expect(logs).not.toContain(INGEST_TOKEN);
    expect(metrics).not.toContain(JWT_SECRET);
    expect(metrics).not.toContain(INGEST_TOKEN);
    for (const reply of replies) {
      expect(reply).not.toContain(JWT_SECRET);
      expect(reply).not.toContain(INGEST_TOKEN);
    }
  });
});

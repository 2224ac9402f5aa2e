/**
 * Access to the event stream: tokens and their scope, the origin check, the shared connection
 * limit, and the close at token expiry. Every refusal comes before any stream byte.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mintSubscriberToken } from '../../src/access/tokens.js';
import { CloseCode } from '../../src/errors.js';
import { attemptUpgrade, readCodeCounter, SECRET, within } from '../access/support.js';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { TestClient } from '../helpers/ws-client.js';
import { eventsUrl, readJsonBody, SseClient } from './support.js';

const HOUR_MS = 3_600_000;
const AGENCY_3_TASK_ID = 67721;
const AGENCY_4_TASK_ID = 67722;
const ALLOWED_ORIGIN = 'https://dash.example.com';

describe('event stream access', () => {
  let running: RunningRelay | undefined;
  const clients: SseClient[] = [];
  const sockets: TestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.abort();
    for (const socket of sockets.splice(0)) await socket.close();
    await running?.close();
    running = undefined;
  });

  async function open(
    query: Record<string, string> = {},
    headers: Record<string, string> = {},
  ): Promise<SseClient> {
    if (running === undefined) throw new Error('start the relay first');
    const client = await SseClient.open(eventsUrl(running.url, query), headers);
    clients.push(client);
    return client;
  }

  function agencyToken(agency: number, ttlMs = HOUR_MS): Promise<string> {
    return mintSubscriberToken({ agencies: [agency], ttlMs }, SECRET);
  }

  it('keeps agency 4 from agency 3', async () => {
    running = await startRelay({ jwtSecret: SECRET });
    await postCallback(
      running.url,
      'createinfo',
      baseTask({ ID: AGENCY_4_TASK_ID, AgencyUserID: 4 }),
    );
    await postCallback(
      running.url,
      'createinfo',
      baseTask({ ID: AGENCY_3_TASK_ID, AgencyUserID: 3 }),
    );
    const client = await open({ token: await agencyToken(3) });
    const snapshot = await client.next();

    await postCallback(
      running.url,
      'updateinfo',
      baseTask({ ID: AGENCY_4_TASK_ID, AgencyUserID: 4, Status: 2 }),
    );
    await postCallback(
      running.url,
      'updateinfo',
      baseTask({ ID: AGENCY_3_TASK_ID, AgencyUserID: 3, Status: 2 }),
    );
    // Events arrive in order, so the agency 4 update would have come before this one.
    await client.next((message) => message.event === 'task.updated');

    expect(client.status).toBe(200);
    expect(snapshot.event).toBe('snapshot');
    const snapshotIds = (snapshot.json.tasks as { id: number }[]).map((task) => task.id);
    expect(snapshotIds).toEqual([AGENCY_3_TASK_ID]);
    const agencies = client
      .events()
      .map((message) => (message.json.task as { agencyUserId: number }).agencyUserId);
    expect(agencies).toEqual([3]);
    expect(client.text).not.toContain(String(AGENCY_4_TASK_ID));
  });

  it('rejects a forbidden filter with 403', async () => {
    running = await startRelay({ jwtSecret: SECRET });
    const deniedBefore = await readCodeCounter(
      running.url,
      'relay_access_denied_total',
      'RS_ERR_FORBIDDEN',
    );

    const client = await open({ agency: '4', token: await agencyToken(3) });
    const body = await readJsonBody(client);

    expect(client.status).toBe(403);
    expect(client.headers['content-type']).toMatch(/^application\/json/);
    expect(client.headers['x-relay-error']).toBe('RS_ERR_FORBIDDEN');
    expect(body.code).toBe('RS_ERR_FORBIDDEN');
    expect(running.relay.hub.connections).toBe(0);
    expect(running.relay.sse.openStreams).toBe(0);
    const deniedAfter = await readCodeCounter(
      running.url,
      'relay_access_denied_total',
      'RS_ERR_FORBIDDEN',
    );
    expect(deniedAfter).toBe(deniedBefore + 1);
  });

  it('rejects a missing token with 401', async () => {
    running = await startRelay({ jwtSecret: SECRET });

    const client = await open();
    const body = await readJsonBody(client);

    expect(client.status).toBe(401);
    expect(body.code).toBe('RS_ERR_TOKEN_MISSING');
    expect(running.relay.hub.connections).toBe(0);
  });

  it('accepts a bearer token header', async () => {
    running = await startRelay({ jwtSecret: SECRET });

    const client = await open({ agency: '3' }, { Authorization: `Bearer ${await agencyToken(3)}` });
    const snapshot = await client.next();

    expect(client.status).toBe(200);
    expect(snapshot.event).toBe('snapshot');
  });

  it('rejects a foreign origin with 403', async () => {
    running = await startRelay({ allowedOrigins: ALLOWED_ORIGIN });

    const foreign = await open({}, { Origin: 'https://attacker.example' });
    const body = await readJsonBody(foreign);
    const allowed = await open({}, { Origin: ALLOWED_ORIGIN });
    await allowed.next();

    expect(foreign.status).toBe(403);
    expect(foreign.headers['content-type']).not.toBe('text/event-stream');
    expect(body.code).toBe('RS_ERR_ORIGIN_FORBIDDEN');
    expect(foreign.text).not.toContain('event:');
    expect(allowed.status).toBe(200);
    expect(running.relay.hub.connections).toBe(1);
  });

  it('closes the stream at token expiry', async () => {
    running = await startRelay({ jwtSecret: SECRET });
    // Expiry is counted in whole seconds, so this token lapses 1 to 2 s from now.
    const client = await open({ token: await agencyToken(3, 2000) });
    await client.next();

    const close = await client.next((message) => message.event === 'close', 5000);
    await within(client.ended, 'the stream to end', 5000);

    expect(close.json.code).toBe(CloseCode.TOKEN_EXPIRED);
    expect(close.id).toBeUndefined();
    expect(running.relay.hub.connections).toBe(0);
    expect(running.relay.sse.openStreams).toBe(0);
  });

  it('shares the connection limit with sockets', async () => {
    running = await startRelay({ maxConnections: 2 });
    sockets.push(await TestClient.connect(running.wsUrl));
    const first = await open();
    await first.next();

    const rejected = await open();
    const body = await readJsonBody(rejected);
    const upgrade = await attemptUpgrade(running.wsUrl);

    expect(rejected.status).toBe(503);
    expect(rejected.headers['retry-after']).toBe('5');
    expect(body.code).toBe('RS_ERR_CONNECTIONS_LIMIT');
    expect(upgrade.kind).toBe('rejected');
    if (upgrade.kind === 'rejected') expect(upgrade.errorCode).toBe('RS_ERR_CONNECTIONS_LIMIT');
    expect(running.relay.hub.connections).toBe(2);
  });
});

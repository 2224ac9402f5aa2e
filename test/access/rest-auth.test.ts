/**
 * Subscriber tokens on the REST read routes: the list and the single task return only tasks
 * within the token's scope, and a task outside it reads exactly like a missing one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type MintOptions, mintSubscriberToken } from '../../src/access/tokens.js';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { getJson, readCodeCounter, SECRET } from './support.js';

const HOUR_MS = 3_600_000;

const TASKS = [
  { ID: 1, Owner: 1601, AgencyUserID: 3 },
  { ID: 2, Owner: 1700, AgencyUserID: 4 },
  { ID: 3, Owner: 1601, AgencyUserID: 4 },
  { ID: 4, Owner: 1800, AgencyUserID: 3 },
];

const listedIds = (body: Record<string, unknown>): number[] =>
  (body.tasks as { id: number }[]).map((task) => task.id).sort((a, b) => a - b);

describe('REST scope', () => {
  let running: RunningRelay | undefined;

  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  async function start(): Promise<RunningRelay> {
    running = await startRelay({ jwtSecret: SECRET });
    for (const task of TASKS) {
      const reply = await postCallback(running.url, 'updateinfo', baseTask(task));
      expect(reply.body.error_code).toBe(0);
    }
    return running;
  }

  const mint = (grant: Omit<MintOptions, 'ttlMs'>): Promise<string> =>
    mintSubscriberToken({ ...grant, ttlMs: HOUR_MS }, SECRET);

  it('rejects a list without token', async () => {
    const relay = await start();

    const reply = await getJson(`${relay.url}/api/tasks`);

    expect(reply.status).toBe(401);
    expect(reply.body.code).toBe('RS_ERR_TOKEN_MISSING');
    expect(reply.headers.get('x-relay-error')).toBe('RS_ERR_TOKEN_MISSING');
  });

  it('rejects a single task without token', async () => {
    const relay = await start();

    const reply = await getJson(`${relay.url}/api/tasks/1`);

    expect(reply.status).toBe(401);
    expect(reply.body.code).toBe('RS_ERR_TOKEN_MISSING');
  });

  it('rejects an invalid bearer token', async () => {
    const relay = await start();
    const foreign = await mintSubscriberToken({ admin: true, ttlMs: HOUR_MS }, 'y'.repeat(40));

    const reply = await getJson(`${relay.url}/api/tasks`, { Authorization: `Bearer ${foreign}` });

    expect(reply.status).toBe(401);
    expect(reply.body.code).toBe('RS_ERR_TOKEN_INVALID');
  });

  it('counts rejected reads by code', async () => {
    const relay = await start();

    await getJson(`${relay.url}/api/tasks`);
    await getJson(`${relay.url}/api/tasks/1?token=garbage`);

    const name = 'relay_access_denied_total';
    expect(await readCodeCounter(relay.url, name, 'RS_ERR_TOKEN_MISSING')).toBe(1);
    expect(await readCodeCounter(relay.url, name, 'RS_ERR_TOKEN_INVALID')).toBe(1);
  });

  it('lists owner tasks by query token', async () => {
    const relay = await start();
    const token = await mint({ owners: [1601] });

    const reply = await getJson(`${relay.url}/api/tasks?token=${token}`);

    expect(reply.status).toBe(200);
    expect(listedIds(reply.body)).toEqual([1, 3]);
  });

  it('lists agency tasks by bearer token', async () => {
    const relay = await start();
    const token = await mint({ agencies: [3] });

    const reply = await getJson(`${relay.url}/api/tasks`, { Authorization: `Bearer ${token}` });

    expect(reply.status).toBe(200);
    expect(listedIds(reply.body)).toEqual([1, 4]);
  });

  it('lists every task for admin', async () => {
    const relay = await start();
    const token = await mint({ admin: true });

    const reply = await getJson(`${relay.url}/api/tasks?token=${token}`);

    expect(listedIds(reply.body)).toEqual([1, 2, 3, 4]);
  });

  it('applies the scope under filters', async () => {
    const relay = await start();
    const token = await mint({ owners: [1601] });

    // An agency filter is allowed for an owner scope, and the owner scope still applies.
    const reply = await getJson(`${relay.url}/api/tasks?agency=4&token=${token}`);

    expect(reply.status).toBe(200);
    expect(listedIds(reply.body)).toEqual([3]);
  });

  it('rejects an agency outside scope', async () => {
    const relay = await start();
    const token = await mint({ agencies: [3] });

    const reply = await getJson(`${relay.url}/api/tasks?agency=4&token=${token}`);

    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe('RS_ERR_FORBIDDEN');
    expect(reply.headers.get('x-relay-error')).toBe('RS_ERR_FORBIDDEN');
  });

  it('rejects an owner outside scope', async () => {
    const relay = await start();
    const token = await mint({ owners: [1601] });

    const reply = await getJson(`${relay.url}/api/tasks?owner=1601,1700&token=${token}`);

    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe('RS_ERR_FORBIDDEN');
  });

  it('counts a forbidden filter', async () => {
    const relay = await start();
    const token = await mint({ agencies: [3] });

    await getJson(`${relay.url}/api/tasks?agency=4&token=${token}`);

    const name = 'relay_access_denied_total';
    expect(await readCodeCounter(relay.url, name, 'RS_ERR_FORBIDDEN')).toBe(1);
  });

  it('reads a visible task', async () => {
    const relay = await start();
    const token = await mint({ owners: [1601] });

    const reply = await getJson(`${relay.url}/api/tasks/3`, { Authorization: `Bearer ${token}` });

    expect(reply.status).toBe(200);
    expect(reply.body.id).toBe(3);
  });

  it('hides an invisible task as missing', async () => {
    const relay = await start();
    const token = await mint({ owners: [1601] });

    const hidden = await getJson(`${relay.url}/api/tasks/2?token=${token}`);
    const missing = await getJson(`${relay.url}/api/tasks/99?token=${token}`);

    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe('RS_ERR_TASK_NOT_FOUND');
    expect(hidden.body.code).toBe(missing.body.code);
    expect(hidden.body.message).toBe(String(missing.body.message).replaceAll('99', '2'));
  });
});

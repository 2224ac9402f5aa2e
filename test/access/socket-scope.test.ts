/**
 * Scoped tokens on the real socket: the welcome frame names the scope, and snapshots, replays
 * and live events hold only the tasks the token may see. A filter the scope forbids is rejected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type MintOptions, mintSubscriberToken } from '../../src/access/tokens.js';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { type Frame, TestClient } from '../helpers/ws-client.js';
import { SECRET } from './support.js';

const HOUR_MS = 3_600_000;

/** Tasks across two owners and two agencies; ids are unique across the whole table. */
const TASKS = [
  { ID: 1, Owner: 1601, AgencyUserID: 3 },
  { ID: 2, Owner: 1700, AgencyUserID: 4 },
  { ID: 3, Owner: 1601, AgencyUserID: 4 },
  { ID: 4, Owner: 1800, AgencyUserID: 3 },
];

interface TaskFields {
  id: number;
  owner: number;
  agencyUserId: number;
}

const taskOf = (frame: Frame): TaskFields => frame.task as TaskFields;
const snapshotIds = (subscribed: Frame): number[] =>
  (subscribed.tasks as TaskFields[]).map((task) => task.id).sort((a, b) => a - b);
const eventIds = (client: TestClient): number[] => client.events().map((frame) => taskOf(frame).id);

describe('socket scope', () => {
  let running: RunningRelay | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    await running?.close();
    running = undefined;
  });

  async function start(): Promise<RunningRelay> {
    running = await startRelay({ jwtSecret: SECRET });
    return running;
  }

  async function connect(
    relay: RunningRelay,
    grant: Omit<MintOptions, 'ttlMs'>,
  ): Promise<TestClient> {
    const token = await mintSubscriberToken({ ...grant, ttlMs: HOUR_MS }, SECRET);
    const client = await TestClient.connect(`${relay.wsUrl}?token=${token}`);
    clients.push(client);
    return client;
  }

  async function post(relay: RunningRelay, fields: Record<string, unknown>): Promise<void> {
    const reply = await postCallback(relay.url, 'updateinfo', baseTask(fields));
    expect(reply.body.error_code).toBe(0);
  }

  async function postAll(relay: RunningRelay): Promise<void> {
    for (const task of TASKS) await post(relay, task);
  }

  it('sends the token scope in welcome', async () => {
    const relay = await start();

    const client = await connect(relay, { owners: [1601, 1700], agencies: [3] });

    expect(client.frames[0]?.scope).toEqual({ admin: false, owners: [1601, 1700], agencies: [3] });
  });

  it('sends the admin scope in welcome', async () => {
    const relay = await start();

    const client = await connect(relay, { admin: true });

    expect(client.frames[0]?.scope).toEqual({ admin: true, owners: [], agencies: [] });
  });

  it('limits an owner token snapshot', async () => {
    const relay = await start();
    await postAll(relay);
    const client = await connect(relay, { owners: [1601] });

    const subscribed = await client.subscribe({ id: 's' });

    expect(subscribed.type).toBe('subscribed');
    expect(snapshotIds(subscribed)).toEqual([1, 3]);
  });

  it('limits an agency token snapshot', async () => {
    const relay = await start();
    await postAll(relay);
    const client = await connect(relay, { agencies: [3] });

    const subscribed = await client.subscribe({ id: 's' });

    expect(snapshotIds(subscribed)).toEqual([1, 4]);
  });

  it('shows every task to admin', async () => {
    const relay = await start();
    await postAll(relay);
    const client = await connect(relay, { admin: true });

    const subscribed = await client.subscribe({ id: 's' });

    expect(snapshotIds(subscribed)).toEqual([1, 2, 3, 4]);
  });

  it('limits an owner token replay', async () => {
    const relay = await start();
    const client = await connect(relay, { owners: [1601] });
    const epoch = client.frames[0]?.epoch;
    await postAll(relay);

    const subscribed = await client.subscribe({ id: 's', since: { epoch, seq: 0 } });
    // Replayed events follow the reply in the same turn; task 3 is the last one in scope.
    await client.next((frame) => frame.type.startsWith('task.') && taskOf(frame).id === 3);

    expect(subscribed.recovered).toBe(true);
    expect(eventIds(client)).toEqual([1, 3]);
  });

  it('limits an agency token replay', async () => {
    const relay = await start();
    const client = await connect(relay, { agencies: [4] });
    const epoch = client.frames[0]?.epoch;
    await postAll(relay);

    const subscribed = await client.subscribe({ id: 's', since: { epoch, seq: 0 } });
    await client.next((frame) => frame.type.startsWith('task.') && taskOf(frame).id === 3);

    expect(subscribed.recovered).toBe(true);
    expect(eventIds(client)).toEqual([2, 3]);
  });

  it('limits owner token live events', async () => {
    const relay = await start();
    const client = await connect(relay, { owners: [1601] });
    await client.subscribe({ id: 's' });

    // Events reach one connection in publish order, so the last in-scope one fences the rest.
    await postAll(relay);
    await post(relay, { ID: 5, Owner: 1601, AgencyUserID: 9 });
    await client.next((frame) => frame.type.startsWith('task.') && taskOf(frame).id === 5);

    expect(eventIds(client)).toEqual([1, 3, 5]);
  });

  it('limits agency token live events', async () => {
    const relay = await start();
    const client = await connect(relay, { agencies: [3] });
    await client.subscribe({ id: 's' });

    await postAll(relay);
    await post(relay, { ID: 5, Owner: 9, AgencyUserID: 3 });
    await client.next((frame) => frame.type.startsWith('task.') && taskOf(frame).id === 5);

    expect(eventIds(client)).toEqual([1, 4, 5]);
  });

  it('sends admin every live event', async () => {
    const relay = await start();
    const client = await connect(relay, { admin: true });
    await client.subscribe({ id: 's' });

    await postAll(relay);
    await client.next((frame) => frame.type.startsWith('task.') && taskOf(frame).id === 4);

    expect(eventIds(client)).toEqual([1, 2, 3, 4]);
  });

  it('rejects an owner outside scope', async () => {
    const relay = await start();
    const client = await connect(relay, { owners: [1601] });

    const reply = await client.subscribe({ id: 'other', owners: [1700] });

    expect(reply.type).toBe('error');
    expect(reply.code).toBe('RS_ERR_FORBIDDEN');
    expect(reply.id).toBe('other');
    expect(relay.relay.hub.subscriptions).toBe(0);
  });

  it('rejects an agency outside scope', async () => {
    const relay = await start();
    const client = await connect(relay, { agencies: [3] });

    const reply = await client.subscribe({ id: 'other', agencies: [3, 4] });

    expect(reply.type).toBe('error');
    expect(reply.code).toBe('RS_ERR_FORBIDDEN');
    expect(reply.id).toBe('other');
  });

  it('delivers nothing for a forbidden filter', async () => {
    const relay = await start();
    const client = await connect(relay, { owners: [1601] });
    await client.subscribe({ id: 'other', owners: [1700] });
    await client.subscribe({ id: 'own', owners: [1601] });

    await post(relay, { ID: 2, Owner: 1700, AgencyUserID: 4 });
    await post(relay, { ID: 1, Owner: 1601, AgencyUserID: 3 });
    await client.next((frame) => frame.type.startsWith('task.') && taskOf(frame).id === 1);

    expect(eventIds(client)).toEqual([1]);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });

  it('narrows an agency scope by owner', async () => {
    const relay = await start();
    await postAll(relay);
    // With agencies in the scope, an owner filter is allowed and applies inside those agencies.
    const client = await connect(relay, { agencies: [3] });

    const subscribed = await client.subscribe({ id: 's', owners: [1800] });

    expect(subscribed.type).toBe('subscribed');
    expect(snapshotIds(subscribed)).toEqual([4]);
  });
});

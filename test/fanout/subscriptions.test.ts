import { afterEach, describe, expect, it } from 'vitest';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { type Frame, TestClient } from '../helpers/ws-client.js';

const taskOf = (frame: Frame) =>
  frame.task as { id: number; owner: number; agencyUserId: number; status: number };

describe('subscriptions', () => {
  let running: RunningRelay;
  const clients: TestClient[] = [];

  async function connect(): Promise<TestClient> {
    const client = await TestClient.connect(running.wsUrl);
    clients.push(client);
    return client;
  }

  async function post(fields: Record<string, unknown>): Promise<void> {
    const reply = await postCallback(running.url, 'updateinfo', baseTask(fields));
    expect(reply.body.error_code).toBe(0);
  }

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await running?.close();
  });

  it('routes events by owner, agency, task and status', async () => {
    running = await startRelay();
    const byOwner = await connect();
    const byAgency = await connect();
    const byTask = await connect();
    const byStatus = await connect();
    const everything = await connect();
    await byOwner.subscribe({ id: 'o', owners: [1601] });
    await byAgency.subscribe({ id: 'a', agencies: [4] });
    await byTask.subscribe({ id: 't', taskIds: [3] });
    await byStatus.subscribe({ id: 's', statuses: [1] });
    await everything.subscribe({ id: 'all' });

    await post({ ID: 1, Owner: 1601, AgencyUserID: 3, Status: 8 });
    await post({ ID: 2, Owner: 1700, AgencyUserID: 4, Status: 8 });
    await post({ ID: 3, Owner: 1800, AgencyUserID: 5, Status: 8 });
    await post({ ID: 3, Owner: 1800, AgencyUserID: 5, Status: 1 });
    await post({ ID: 3, Owner: 1800, AgencyUserID: 5, Status: 2, CompletedTime: 1574318325 });
    await everything.next((frame) => frame.seq === 5);

    const ids = (client: TestClient): number[] => client.events().map((frame) => taskOf(frame).id);
    expect(ids(everything)).toEqual([1, 2, 3, 3, 3]);
    expect(ids(byOwner)).toEqual([1]);
    expect(ids(byAgency)).toEqual([2]);
    expect(ids(byTask)).toEqual([3, 3, 3]);
    // The status filter receives the task entering "rendering" and leaving it.
    expect(byStatus.events().map((frame) => taskOf(frame).status)).toEqual([1, 2]);
  });

  it('sends one event once to overlapping subscriptions', async () => {
    running = await startRelay();
    const client = await connect();
    await client.subscribe({ id: 'agency', agencies: [3] });
    await client.subscribe({ id: 'owner', owners: [1601] });
    await client.subscribe({ id: 'task', taskIds: [1] });

    await post({ ID: 1 });
    await post({ ID: 2, Owner: 9, AgencyUserID: 9 });
    await client.subscribe({ id: 'fence', taskIds: [2] });
    await post({ ID: 2, Owner: 9, AgencyUserID: 9, Status: 2 });
    await client.next((frame) => frame.seq === 3);

    expect(client.events().map((frame) => frame.seq)).toEqual([1, 3]);
  });

  it('starts with a snapshot of matching tasks', async () => {
    running = await startRelay();
    await post({ ID: 1, AgencyUserID: 3 });
    await post({ ID: 2, AgencyUserID: 4 });
    await post({ ID: 3, AgencyUserID: 3, Status: 2 });

    const client = await connect();
    const subscribed = await client.subscribe({ id: 's', agencies: [3] });
    const tasks = subscribed.tasks as { id: number; statusName: string; outputFileCount: number }[];

    expect(subscribed.recovered).toBe(false);
    expect(subscribed.seq).toBe(3);
    expect(tasks.map((task) => task.id)).toEqual([3, 1]);
    expect(tasks[0]?.statusName).toBe('done');
    expect(tasks[0]).not.toHaveProperty('renderOutputFiles');
  });

  it('recovers missed events after a reconnect', async () => {
    running = await startRelay();
    const first = await connect();
    const welcome = first.frames[0] as Frame;
    await first.subscribe({ id: 's', agencies: [3] });
    await post({ ID: 1, FrameCompleted: 1 });
    const seen = await first.next((frame) => frame.type === 'task.created');
    await first.close();

    await post({ ID: 1, FrameCompleted: 2 });
    await post({ ID: 2, AgencyUserID: 4 });
    await post({ ID: 1, FrameCompleted: 3 });

    const second = await connect();
    const subscribed = await second.subscribe({
      id: 's',
      agencies: [3],
      since: { epoch: welcome.epoch, seq: seen.seq },
    });
    expect(subscribed.recovered).toBe(true);
    expect(subscribed.tasks).toEqual([]);

    await post({ ID: 1, FrameCompleted: 4 });
    await second.next((frame) => frame.seq === 5);
    const frames = second
      .events()
      .map((frame) => [frame.seq, (frame.changes as { frameCompleted: number }).frameCompleted]);
    expect(frames).toEqual([
      [2, 2],
      [4, 3],
      [5, 4],
    ]);
  });

  it('falls back to a snapshot when history is gone', async () => {
    running = await startRelay({ maxHistoryEvents: 2 });
    const first = await connect();
    const epoch = (first.frames[0] as Frame).epoch;
    await first.close();

    for (const frames of [1, 2, 3, 4]) await post({ ID: 1, FrameCompleted: frames });

    const second = await connect();
    const subscribed = await second.subscribe({ id: 's', since: { epoch, seq: 1 } });
    expect(subscribed.recovered).toBe(false);
    expect(subscribed.seq).toBe(4);
    expect((subscribed.tasks as { frameCompleted: number }[])[0]?.frameCompleted).toBe(4);
  });

  it('falls back to a snapshot for another epoch', async () => {
    running = await startRelay();
    await post({ ID: 1 });
    const client = await connect();
    const subscribed = await client.subscribe({
      id: 's',
      since: { epoch: 'previous-run', seq: 1 },
    });
    expect(subscribed.recovered).toBe(false);
    expect(subscribed.tasks).toHaveLength(1);
  });

  it('misses nothing while subscribing under load', async () => {
    running = await startRelay();
    const client = await connect();

    const posts = Array.from({ length: 40 }, (_, i) =>
      post({ ID: 100 + (i % 5), FrameCompleted: i }),
    );
    client.send({ type: 'subscribe', id: 's' });
    await Promise.all(posts);
    const subscribed = await client.next((frame) => frame.type === 'subscribed');
    const last = running.relay.events.seq;
    if (last > (subscribed.seq as number)) await client.next((frame) => frame.seq === last);

    const seqs = client.events().map((frame) => frame.seq as number);
    const expected = Array.from(
      { length: last - (subscribed.seq as number) },
      (_, i) => (subscribed.seq as number) + i + 1,
    );
    expect(seqs).toEqual(expected);
  });

  it('removes a subscription on unsubscribe', async () => {
    running = await startRelay();
    const client = await connect();
    await client.subscribe({ id: 'a', agencies: [3] });
    await client.subscribe({ id: 'fence', agencies: [9] });
    client.send({ type: 'unsubscribe', id: 'a' });
    await client.next((frame) => frame.type === 'unsubscribed' && frame.id === 'a');

    await post({ ID: 1, AgencyUserID: 3 });
    await post({ ID: 2, AgencyUserID: 9 });
    await client.next((frame) => frame.type === 'task.created');
    expect(client.events().map((frame) => taskOf(frame).id)).toEqual([2]);
  });
});

describe('ownership moves', () => {
  let running: RunningRelay;
  const clients: TestClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await running?.close();
  });

  it('moves a task between owner subscribers', async () => {
    running = await startRelay();
    const connect = async (filter: Record<string, unknown>): Promise<TestClient> => {
      const client = await TestClient.connect(running.wsUrl);
      clients.push(client);
      await client.subscribe({ id: 's', ...filter });
      return client;
    };
    const oldOwner = await connect({ owners: [1601] });
    const newOwner = await connect({ owners: [1700] });
    const everything = await connect({});

    await postCallback(
      running.url,
      'updateinfo',
      baseTask({ ID: 1, Owner: 1601, FrameCompleted: 1 }),
    );
    await postCallback(
      running.url,
      'updateinfo',
      baseTask({ ID: 1, Owner: 1700, FrameCompleted: 2 }),
    );
    await everything.next((frame) => frame.seq === 3);

    expect(everything.events().map((frame) => frame.type)).toEqual([
      'task.created',
      'task.deleted',
      'task.created',
    ]);
    expect(oldOwner.events().map((frame) => frame.type)).toEqual(['task.created', 'task.deleted']);

    const arrived = await newOwner.next((frame) => frame.type === 'task.created');
    expect(taskOf(arrived).owner).toBe(1700);
    expect(arrived.previous).toEqual({});
    expect(JSON.stringify(newOwner.events())).not.toContain('1601');
  });
});

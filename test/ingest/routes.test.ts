import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { TestClient } from '../helpers/ws-client.js';
import { AGENCY, eventsBeforeFence, postRaw, taskIdOf, taskJson } from './support.js';

const OK = { error_code: 0, error_msg: '成功' };
const TASK_ID = 67721;

describe('callback routes', () => {
  let running: RunningRelay | undefined;
  let client: TestClient | undefined;

  afterEach(async () => {
    await client?.close();
    await running?.close();
    client = undefined;
    running = undefined;
  });

  async function startWithSubscriber(): Promise<{ running: RunningRelay; client: TestClient }> {
    running = await startRelay();
    client = await TestClient.connect(running.wsUrl);
    await client.subscribe({ id: 's1', agencies: [AGENCY] });
    return { running, client };
  }

  /** Types of the events about TASK_ID received before a fence. */
  async function taskEventTypes(): Promise<string[]> {
    if (running === undefined || client === undefined) throw new Error('relay not started');
    const events = await eventsBeforeFence(running, client);
    return events.filter((event) => taskIdOf(event) === TASK_ID).map((event) => event.type);
  }

  it.each(['/api/task', '/api/frame'])('creates, updates and deletes under %s', async (base) => {
    const { running } = await startWithSubscriber();

    const created = await postCallback(running.url, `${base}/createinfo`, baseTask());
    const updated = await postCallback(running.url, `${base}/updateinfo`, baseTask({ Status: 2 }));
    const deleted = await postCallback(running.url, `${base}/deleteinfo`, baseTask({ Status: 2 }));

    expect(created.body).toEqual(OK);
    expect(updated.body).toEqual(OK);
    expect(deleted.body).toEqual(OK);
    expect(await taskEventTypes()).toEqual(['task.created', 'task.updated', 'task.deleted']);
    expect(running.relay.store.cache.get(TASK_ID)).toBeUndefined();
  });

  it.each(['/api/task/frobinfo', '/api/frame/updateInfo2', '/api/task/updateinfo/extra'])(
    'rejects %s with 404',
    async (route) => {
      running = await startRelay();

      const reply = await postCallback(running.url, route, baseTask());

      expect(reply.status).toBe(404);
      expect(reply.body.error_code).toBe(1);
      expect(reply.body.code).toBe('RS_ERR_ROUTE_NOT_FOUND');
      expect(running.relay.store.cache.size).toBe(0);
    },
  );

  it('deletes on updateinfo with Action 3', async () => {
    const { running, client } = await startWithSubscriber();
    await postCallback(running.url, 'updateinfo', baseTask());

    const reply = await postCallback(running.url, 'updateinfo', baseTask({ Action: 3 }));

    expect(reply.body).toEqual(OK);
    expect(await taskEventTypes()).toEqual(['task.created', 'task.deleted']);
    const deleted = client.frames.find((frame) => frame.type === 'task.deleted');
    expect(deleted?.outputFilesAdded).toEqual([]);
    expect(running.relay.store.cache.get(TASK_ID)).toBeUndefined();
  });

  it('ignores an update after delete', async () => {
    const { running } = await startWithSubscriber();
    await postCallback(running.url, 'updateinfo', baseTask({ FrameCompleted: 1 }));
    await postCallback(running.url, 'deleteinfo', baseTask({ FrameCompleted: 1 }));

    const late = await postCallback(running.url, 'updateinfo', baseTask({ FrameCompleted: 2 }));
    const recreated = await postCallback(
      running.url,
      'createinfo',
      baseTask({ FrameCompleted: 3 }),
    );

    expect(late.body).toEqual(OK);
    expect(recreated.body).toEqual(OK);
    expect(await taskEventTypes()).toEqual(['task.created', 'task.deleted']);
    expect(running.relay.store.cache.get(TASK_ID)).toBeUndefined();
  });
});

describe('callback rejections', () => {
  let running: RunningRelay | undefined;
  let client: TestClient | undefined;

  afterEach(async () => {
    await client?.close();
    await running?.close();
    client = undefined;
    running = undefined;
  });

  it.each([
    ['an empty body', '', {}, 400],
    ['invalid JSON', '{"ID":67721,', {}, 400],
    ['an array', '[]', {}, 400],
    ['Status "abc"', taskJson({ Status: 'abc', FrameCompleted: 9 }), {}, 400],
    ['no Owner', taskJson({ Owner: undefined, FrameCompleted: 9 }), {}, 400],
    [
      'an unsafe Owner',
      taskJson({ FrameCompleted: 9 }).replace('1601', '15793596808644609'),
      {},
      400,
    ],
    ['a body over the limit', taskJson({ Camera: 'c'.repeat(3000) }), {}, 413],
    [
      'plain text labelled gzip',
      taskJson({ FrameCompleted: 9 }),
      { 'Content-Encoding': 'gzip' },
      400,
    ],
    [
      'an unknown coding',
      zlib.gzipSync(taskJson({ FrameCompleted: 9 })),
      { 'Content-Encoding': 'compress' },
      415,
    ],
  ] as const)('leaves the cache unchanged on %s', async (_case, body, headers, status) => {
    running = await startRelay({ maxBodyBytes: 2000 });
    client = await TestClient.connect(running.wsUrl);
    await client.subscribe({ id: 's1', agencies: [AGENCY] });
    await postCallback(running.url, 'updateinfo', baseTask({ FrameCompleted: 1 }));
    const before = running.relay.store.cache.get(TASK_ID);

    const rejected = await postRaw(running.url, '/api/task/updateinfo', body, headers);

    expect(rejected.status).toBe(status);
    expect(rejected.body?.error_code).toBe(1);
    expect(running.relay.store.cache.get(TASK_ID)).toBe(before);
    expect(running.relay.store.cache.size).toBe(1);

    const accepted = await postCallback(running.url, 'updateinfo', baseTask({ FrameCompleted: 2 }));
    expect(accepted.body).toEqual(OK);
    expect(running.relay.store.cache.get(TASK_ID)?.task.frameCompleted).toBe(2);

    const events = await eventsBeforeFence(running, client);
    const types = events.filter((event) => taskIdOf(event) === TASK_ID).map((event) => event.type);
    expect(types).toEqual(['task.created', 'task.updated']);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { TestClient } from '../helpers/ws-client.js';
import { AGENCY, eventsBeforeFence, taskIdOf } from './support.js';

const OK = { error_code: 0, error_msg: '成功' };
const TASK_ID = 67721;

describe('callback duplicates and staleness', () => {
  let running: RunningRelay | undefined;
  let client: TestClient | undefined;

  afterEach(async () => {
    await client?.close();
    await running?.close();
    client = undefined;
    running = undefined;
  });

  /** Starts a relay and a subscriber to the agency of `baseTask()`. */
  async function startWithSubscriber(): Promise<{ running: RunningRelay; client: TestClient }> {
    running = await startRelay();
    client = await TestClient.connect(running.wsUrl);
    await client.subscribe({ id: 's1', agencies: [AGENCY] });
    return { running, client };
  }

  /** Posts each body in turn to updateinfo and expects every reply to be the success reply. */
  async function postAll(url: string, bodies: readonly unknown[]): Promise<void> {
    for (const body of bodies) {
      const reply = await postCallback(url, 'updateinfo', body);
      expect(reply.body).toEqual(OK);
    }
  }

  /** Task events about TASK_ID received before the fence. */
  async function taskEvents(): Promise<string[]> {
    if (running === undefined || client === undefined) throw new Error('relay not started');
    const events = await eventsBeforeFence(running, client);
    return events.filter((event) => taskIdOf(event) === TASK_ID).map((event) => event.type);
  }

  it('publishes one event for three copies', async () => {
    const { running } = await startWithSubscriber();
    const task = baseTask({ FrameCount: 10, FrameCompleted: 3 });
    const reordered = Object.fromEntries(
      Object.entries(task)
        .reverse()
        .map(([key, value]) => [key.toLowerCase(), value]),
    );

    await postAll(running.url, [
      JSON.stringify(task),
      JSON.stringify(reordered),
      JSON.stringify(task, null, 2),
    ]);

    expect(await taskEvents()).toEqual(['task.created']);
  });

  it('ignores a late older copy', async () => {
    const { running } = await startWithSubscriber();

    await postAll(running.url, [
      baseTask({ FrameCount: 10, FrameCompleted: 5 }),
      baseTask({ FrameCount: 10, FrameCompleted: 3 }),
    ]);

    expect(await taskEvents()).toEqual(['task.created']);
    expect(running.relay.store.cache.get(TASK_ID)?.task.frameCompleted).toBe(5);
  });

  it('ignores an earlier StartTime', async () => {
    const { running } = await startWithSubscriber();

    await postAll(running.url, [
      baseTask({ StartTime: 1574318212, FrameCompleted: 1 }),
      baseTask({ StartTime: 1574318000, FrameCompleted: 9 }),
    ]);

    expect(await taskEvents()).toEqual(['task.created']);
    expect(running.relay.store.cache.get(TASK_ID)?.task.startTime).toBe(1574318212);
  });

  it.each([
    ['render time', { RenderTimeThreadTotal: 900 }, { RenderTimeThreadTotal: 100 }],
    ['gross', { Gross: 38 }, { Gross: 20 }],
    ['light-job gross', { LightJobGross: 2 }, { LightJobGross: 1 }],
    ['completion', { CompletedTime: 1574318325 }, { CompletedTime: 0 }],
    [
      'file count',
      { RenderOutputFiles: [{ name: 'a' }, { name: 'b' }] },
      { RenderOutputFiles: [] },
    ],
  ])('ignores a regressed %s', async (_case, newer, older) => {
    const { running } = await startWithSubscriber();
    await postAll(running.url, [baseTask(newer)]);
    const cached = running.relay.store.cache.get(TASK_ID);

    await postAll(running.url, [baseTask(older)]);

    expect(await taskEvents()).toEqual(['task.created']);
    expect(running.relay.store.cache.get(TASK_ID)).toBe(cached);
  });

  it('publishes paused to rendering', async () => {
    const { running, client } = await startWithSubscriber();

    await postAll(running.url, [
      baseTask({ Status: 3, FrameCompleted: 5 }),
      baseTask({ Status: 1, FrameCompleted: 5 }),
    ]);

    expect(await taskEvents()).toEqual(['task.created', 'task.updated']);
    const updated = client.frames.find((frame) => frame.type === 'task.updated');
    expect(updated?.changes).toEqual({ status: 1 });
    expect(updated?.previous).toEqual({ status: 3 });
    expect(running.relay.store.cache.get(TASK_ID)?.task.status).toBe(1);
  });

  // Without a version number, a return to a byte-identical earlier state cannot be told from a
  // late resend of it. The relay ignores it: the next progress update corrects the view, while
  // replaying a late "rendering" onto a task that stays paused would never be corrected.
  it('ignores an identical return within the window', async () => {
    const { running } = await startWithSubscriber();

    await postAll(running.url, [
      baseTask({ Status: 1, FrameCompleted: 5 }),
      baseTask({ Status: 3, FrameCompleted: 5 }),
      baseTask({ Status: 1, FrameCompleted: 5 }),
      baseTask({ Status: 1, FrameCompleted: 6 }),
    ]);

    expect(await taskEvents()).toEqual(['task.created', 'task.updated', 'task.updated']);
    expect(running.relay.store.cache.get(TASK_ID)?.task.frameCompleted).toBe(6);
    expect(running.relay.store.cache.get(TASK_ID)?.task.status).toBe(1);
  });

  it('accepts a re-render from frame 0', async () => {
    const { running } = await startWithSubscriber();

    await postAll(running.url, [
      baseTask({ Status: 2, StartTime: 1574318212, FrameCompleted: 10, CompletedTime: 1574318325 }),
      baseTask({ Status: 1, StartTime: 1574400000, FrameCompleted: 0, CompletedTime: 0 }),
    ]);

    expect(await taskEvents()).toEqual(['task.created', 'task.updated']);
    const task = running.relay.store.cache.get(TASK_ID)?.task;
    expect(task?.startTime).toBe(1574400000);
    expect(task?.frameCompleted).toBe(0);
  });

  it('publishes progress as an update', async () => {
    const { running, client } = await startWithSubscriber();

    await postAll(running.url, [
      baseTask({ FrameCount: 10, FrameCompleted: 3 }),
      baseTask({ FrameCount: 10, FrameCompleted: 4 }),
    ]);

    expect(await taskEvents()).toEqual(['task.created', 'task.updated']);
    const updated = client.frames.find((frame) => frame.type === 'task.updated');
    expect(updated?.changes).toEqual({ frameCompleted: 4 });
  });
});

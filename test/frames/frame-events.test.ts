import { afterEach, describe, expect, test } from 'vitest';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { TestClient } from '../helpers/ws-client.js';
import { eventsBeforeFence, FENCE_TASK_ID, readMetric } from '../ingest/support.js';
import { frameBody, frameEvents, frameFile, postFrame, TASK_ID } from './support.js';

let running: RunningRelay;
const clients: TestClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await running?.close();
});

async function subscriber(filter: Record<string, unknown>): Promise<TestClient> {
  const client = await TestClient.connect(running.wsUrl);
  clients.push(client);
  const reply = await client.subscribe({ id: 's1', ...filter });
  expect(reply.type).toBe('subscribed');
  return client;
}

/** Waits for the fence task and returns every frame received before it. */
async function framesBeforeFence(client: TestClient, fenceId = FENCE_TASK_ID) {
  await eventsBeforeFence(running, client, fenceId);
  const fence = client.frames.findIndex(
    (frame) => frame.type === 'task.created' && (frame.task as { id: number }).id === fenceId,
  );
  return client.frames.slice(0, fence);
}

describe('frame callbacks', () => {
  test('published example routes by task', async () => {
    running = await startRelay();
    await postCallback(running.url, 'createinfo', baseTask());
    const frames = await subscriber({ frames: true, agencies: [3] });

    await postFrame(
      running,
      frameBody(0, { status: 2, files: [frameFile(0)] }),
      'createrenderframeinfo',
    );

    const event = await frames.next((frame) => frame.type === 'frame.updated');
    expect(event.task).toMatchObject({ id: TASK_ID, owner: 1601, agencyUserId: 3 });
    expect(event.frame).toEqual({
      index: 0,
      id: 500_000,
      status: 2,
      statusName: 'done',
      renderTimeThread: 0,
      gross: 0,
      lightJobGross: 0,
      lightJobStatus: 0,
      fileCount: 1,
    });
    expect(event.outputFilesAdded).toEqual([frameFile(0)]);
    expect(event.previous).toEqual({});
  });

  test('tasks-only subscriber gets none', async () => {
    running = await startRelay();
    await postCallback(running.url, 'createinfo', baseTask());
    const tasksOnly = await subscriber({});

    await postFrame(running, frameBody(0));
    await postFrame(running, frameBody(1));

    expect(frameEvents(await framesBeforeFence(tasksOnly))).toEqual([]);
  });

  test('frames before task are attached', async () => {
    running = await startRelay();
    const frames = await subscriber({ frames: true });

    await postFrame(running, frameBody(0, { status: 2 }));
    await postFrame(running, frameBody(1, { status: 2 }));
    await postFrame(running, frameBody(2, { status: 1 }));
    expect(await readMetric(running.url, 'relay_pending_frames')).toBe(3);
    expect((await fetch(`${running.url}/api/tasks/${TASK_ID}`)).status).toBe(404);

    await postCallback(running.url, 'createinfo', baseTask());
    const view = (await (await fetch(`${running.url}/api/tasks/${TASK_ID}`)).json()) as Record<
      string,
      unknown
    >;
    expect(view.frameStatusCounts).toEqual({ '1': 1, '2': 2 });
    expect(await readMetric(running.url, 'relay_pending_frames')).toBe(0);
    expect(await readMetric(running.url, 'relay_frames')).toBe(3);
    expect(frameEvents(await framesBeforeFence(frames))).toEqual([]);
  });

  test('duplicates and late copies publish nothing', async () => {
    running = await startRelay();
    await postCallback(running.url, 'createinfo', baseTask());
    const frames = await subscriber({ frames: true });

    const first = frameBody(4, { rendertimethread: 100, gross: 1 });
    const second = frameBody(4, { rendertimethread: 200, gross: 2, status: 2 });
    await postFrame(running, first);
    await postFrame(running, first);
    await postFrame(running, second);
    await postFrame(running, first);
    await postFrame(running, frameBody(4, { rendertimethread: 150, gross: 2, status: 2 }));

    const events = frameEvents(await framesBeforeFence(frames));
    expect(events.map((event) => event.changes)).toEqual([
      expect.objectContaining({ renderTimeThread: 100, gross: 1 }),
      { status: 2, renderTimeThread: 200, gross: 2 },
    ]);
    expect(events[1]?.previous).toEqual({ status: 1, renderTimeThread: 100, gross: 1 });
    const outcome = (name: string) =>
      readMetric(running.url, 'relay_callbacks_total', {
        route: 'updaterenderframeinfo',
        outcome: name,
      });
    expect(await outcome('duplicate')).toBe(1);
    expect(await outcome('stale')).toBe(2);
  });

  test('frames of deleted task are stale', async () => {
    running = await startRelay();
    await postCallback(running.url, 'createinfo', baseTask());
    await postFrame(running, frameBody(0));
    await postCallback(running.url, 'deleteinfo', baseTask({ Action: 3 }));

    await postFrame(running, frameBody(1));

    const stale = await readMetric(running.url, 'relay_callbacks_total', {
      route: 'updaterenderframeinfo',
      outcome: 'stale',
    });
    expect(stale).toBe(1);
    expect(await readMetric(running.url, 'relay_frames')).toBe(0);
  });

  test('frame table route lists frames', async () => {
    running = await startRelay();
    await postCallback(running.url, 'createinfo', baseTask());
    await postFrame(running, frameBody(1, { status: 2, files: [frameFile(1)] }));
    await postFrame(running, frameBody(0, { status: 1 }));

    const response = await fetch(`${running.url}/api/tasks/${TASK_ID}/frames`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { frames: Record<string, unknown>[] };
    expect(body).toMatchObject({ taskId: TASK_ID, frameStatusCounts: { '1': 1, '2': 1 } });
    expect(body.frames.map((frame) => frame.index)).toEqual([0, 1]);
    expect(body.frames[1]?.files).toEqual([frameFile(1)]);
    expect((await fetch(`${running.url}/api/tasks/1/frames`)).status).toBe(404);
  });

  test('missing frame field is rejected', async () => {
    running = await startRelay();
    const reply = await postCallback(
      running.url,
      '/api/frame/updaterenderframeinfo',
      '{"id": 1, "rendertaskid": 67721, "status": 1,}',
    );

    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('RS_ERR_FIELD_MISSING');
    expect(reply.body.error_msg).toContain('FrameIndex');
  });
});

describe('re-render', () => {
  test('new start time clears frames', async () => {
    running = await startRelay();
    await postCallback(running.url, 'updateinfo', baseTask({ StartTime: 1574318212 }));
    await postFrame(running, frameBody(0, { status: 2, rendertimethread: 50, gross: 5 }));
    expect(running.relay.store.frames.table(TASK_ID)?.size).toBe(1);

    await postCallback(running.url, 'updateinfo', baseTask({ StartTime: 1574400000, Gross: 0 }));
    expect(running.relay.store.frames.table(TASK_ID)).toBeUndefined();

    const frames = await subscriber({ frames: true });
    await postFrame(running, frameBody(0, { status: 1, rendertimethread: 1, gross: 0 }));
    const received = frameEvents(await framesBeforeFence(frames));
    expect(received).toHaveLength(1);
  });
});

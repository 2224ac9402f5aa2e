import { afterEach, describe, expect, test } from 'vitest';
import { runSimulator } from '../../src/simulate/simulator.js';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { TestClient } from '../helpers/ws-client.js';
import { eventsBeforeFence, readMetric } from '../ingest/support.js';
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
  await client.subscribe({ id: 's1', ...filter });
  return client;
}

const FRAMES = 1000;

describe('video task frames', () => {
  test('thousand frames reach frame subscribers', async () => {
    running = await startRelay({ maxHistoryEvents: 10 * FRAMES });
    const framesClient = await subscriber({ frames: true, agencies: [3] });
    const tasksOnly = await subscriber({ agencies: [3] });
    await postCallback(running.url, 'createinfo', baseTask({ Type: 0, FrameCount: FRAMES }));

    for (let index = 0; index < FRAMES; index++) {
      await postFrame(running, frameBody(index), 'createrenderframeinfo');
      const done = { status: 2, rendertimethread: 960, gross: 4, files: [frameFile(index)] };
      await postFrame(running, frameBody(index, done));
    }

    const last = await framesClient.next(
      (frame) =>
        frame.type === 'frame.updated' &&
        (frame.frame as { index: number; status: number }).index === FRAMES - 1 &&
        (frame.frame as { status: number }).status === 2,
      20_000,
    );
    expect(last.task).toMatchObject({ id: TASK_ID, owner: 1601, agencyUserId: 3 });
    const events = frameEvents(framesClient.frames);
    expect(events).toHaveLength(2 * FRAMES);
    const order = events.map((event) => {
      const frame = event.frame as { index: number; status: number };
      return `${frame.index}:${frame.status}`;
    });
    const expected = Array.from({ length: FRAMES }, (_, index) => [`${index}:1`, `${index}:2`]);
    expect(order).toEqual(expected.flat());
    const seqs = events.map((event) => event.seq as number);
    expect(seqs.every((seq, i) => i === 0 || seq === (seqs[i - 1] as number) + 1)).toBe(true);

    const taskEvents = await eventsBeforeFence(running, tasksOnly);
    expect(frameEvents(tasksOnly.frames)).toEqual([]);
    expect(taskEvents.map((event) => event.type)).toEqual(['task.created']);
    const view = (await (await fetch(`${running.url}/api/tasks/${TASK_ID}`)).json()) as Record<
      string,
      unknown
    >;
    expect(view.frameStatusCounts).toEqual({ '2': FRAMES });
  }, 60_000);

  test('simulator frames fill the strip', async () => {
    running = await startRelay();

    const stats = await runSimulator({
      url: running.url,
      tasks: 6,
      ratePerSecond: 10_000,
      seed: 7,
      maxFrames: 40,
      resendRatio: 0,
      lateRatio: 0,
      frames: true,
    });

    expect(stats.failed).toBe(0);
    expect(stats.byRoute.createrenderframeinfo).toBeGreaterThan(0);
    expect(stats.byRoute.createrenderframeinfo).toBe(stats.byRoute.updaterenderframeinfo);
    expect(stats.byRoute.paymentinfo).toBeUndefined();
    const published = await readMetric(running.url, 'relay_events_published_total', {
      type: 'frame.updated',
    });
    expect(published).toBeGreaterThan(0);

    const list = (await (await fetch(`${running.url}/api/tasks?limit=100`)).json()) as {
      tasks: {
        type: number;
        status: number;
        frameCompleted: number;
        frameStatusCounts: Record<string, number>;
      }[];
    };
    const doneVideos = list.tasks.filter((task) => task.type === 0 && task.status === 2);
    expect(doneVideos.length).toBeGreaterThan(0);
    for (const task of doneVideos) {
      expect(task.frameStatusCounts).toEqual({ '2': task.frameCompleted });
    }
  }, 30_000);
});

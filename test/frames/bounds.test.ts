import { afterEach, describe, expect, test } from 'vitest';
import { mintSubscriberToken } from '../../src/access/tokens.js';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { TestClient } from '../helpers/ws-client.js';
import { readMetric } from '../ingest/support.js';
import { frameBody, frameEvents, postFrame, TASK_ID } from './support.js';

let running: RunningRelay;
const clients: TestClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await running?.close();
});

const limitHits = (limit: string) => readMetric(running.url, 'relay_limit_hits_total', { limit });

describe('frame limits', () => {
  test('frame table bound is counted', async () => {
    running = await startRelay({ maxFramesPerTask: 3 });
    await postCallback(running.url, 'createinfo', baseTask());

    for (let index = 0; index < 5; index++) await postFrame(running, frameBody(index));

    expect(await limitHits('frames_per_task')).toBe(2);
    expect(await readMetric(running.url, 'relay_frames')).toBe(3);
    const table = (await (await fetch(`${running.url}/api/tasks/${TASK_ID}/frames`)).json()) as {
      frames: { index: number }[];
    };
    expect(table.frames.map((frame) => frame.index)).toEqual([0, 1, 2]);
  });

  test('pending bound drops oldest', async () => {
    running = await startRelay({ maxPendingFrames: 3 });

    for (let task = 1; task <= 5; task++) {
      await postFrame(running, frameBody(0, { rendertaskid: task }));
    }

    expect(await limitHits('pending_frames')).toBe(2);
    expect(await readMetric(running.url, 'relay_pending_frames')).toBe(3);

    await postCallback(running.url, 'createinfo', baseTask({ ID: 1 }));
    await postCallback(running.url, 'createinfo', baseTask({ ID: 5 }));
    const countsOf = async (id: number) =>
      ((await (await fetch(`${running.url}/api/tasks/${id}`)).json()) as Record<string, unknown>)
        .frameStatusCounts;
    expect(await countsOf(1)).toEqual({});
    expect(await countsOf(5)).toEqual({ '1': 1 });
  });

  test('frames leave with evicted task', async () => {
    running = await startRelay({ maxTasks: 1 });
    await postCallback(running.url, 'createinfo', baseTask());
    await postFrame(running, frameBody(0));
    expect(await readMetric(running.url, 'relay_frames')).toBe(1);

    await postCallback(running.url, 'createinfo', baseTask({ ID: 2 }));

    expect(await readMetric(running.url, 'relay_frames')).toBe(0);
  });
});

describe('frame scope', () => {
  test('other agency never gets frames', async () => {
    const secret = 'a'.repeat(40);
    running = await startRelay({ jwtSecret: secret });
    await postCallback(running.url, 'createinfo', baseTask());
    await postCallback(running.url, 'createinfo', baseTask({ ID: 2, AgencyUserID: 4 }));
    const token = await mintSubscriberToken({ agencies: [4], ttlMs: 60_000 }, secret);
    const client = await TestClient.connect(`${running.wsUrl}?token=${token}`);
    clients.push(client);
    await client.subscribe({ id: 's1', frames: true });

    await postFrame(running, frameBody(0));
    await postFrame(running, frameBody(0, { rendertaskid: 2 }));

    const own = await client.next((frame) => frame.type === 'frame.updated');
    expect(own.task).toMatchObject({ id: 2, agencyUserId: 4 });
    expect(frameEvents(client.frames)).toHaveLength(1);
  });
});

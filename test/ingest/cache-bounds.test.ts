import { afterEach, describe, expect, it } from 'vitest';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { readMetric } from './support.js';

const OK = { error_code: 0, error_msg: '成功' };

/** `count` output files with 40-character names. */
function outputFiles(taskId: number, count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `/2019-11-21/${taskId}-frames/A-${String(index).padStart(4, '0')}.TGA`.padEnd(40, '_'),
    size: 55_477,
    time: 0,
    isdir: false,
  }));
}

describe('task cache bounds', () => {
  let running: RunningRelay | undefined;

  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  async function postTask(fields: Record<string, unknown>): Promise<void> {
    if (running === undefined) throw new Error('relay not started');
    const reply = await postCallback(running.url, 'updateinfo', baseTask(fields));
    expect(reply.body).toEqual(OK);
  }

  it('evicts the oldest tasks by count', async () => {
    running = await startRelay({ maxTasks: 3 });

    for (const id of [1, 2, 3, 4, 5]) await postTask({ ID: id });

    const cache = running.relay.store.cache;
    expect(cache.size).toBe(3);
    expect([...cache.values()].map((entry) => entry.task.id)).toEqual([3, 4, 5]);
    expect(await readMetric(running.url, 'relay_cache_evictions_total', { reason: 'count' })).toBe(
      2,
    );
    expect(await readMetric(running.url, 'relay_limit_hits_total', { limit: 'cache_tasks' })).toBe(
      2,
    );
  });

  it('evicts by last update, not creation', async () => {
    running = await startRelay({ maxTasks: 3 });

    for (const id of [1, 2, 3]) await postTask({ ID: id });
    await postTask({ ID: 1, FrameCompleted: 1 });
    for (const id of [4, 5]) await postTask({ ID: id });

    const ids = [...running.relay.store.cache.values()].map((entry) => entry.task.id);
    expect(ids).toEqual([1, 4, 5]);
  });

  it('does not refresh a task on a duplicate', async () => {
    running = await startRelay({ maxTasks: 3 });

    for (const id of [1, 2, 3]) await postTask({ ID: id });
    await postTask({ ID: 1 });
    await postTask({ ID: 4 });

    const ids = [...running.relay.store.cache.values()].map((entry) => entry.task.id);
    expect(ids).toEqual([2, 3, 4]);
  });

  it('evicts the oldest tasks by bytes', async () => {
    const maxCacheBytes = 20_000;
    running = await startRelay({ maxCacheBytes });

    for (let id = 1; id <= 10; id += 1) {
      await postTask({ ID: id, RenderOutputFiles: outputFiles(id, 10) });
    }

    const cache = running.relay.store.cache;
    expect(cache.bytes).toBeLessThanOrEqual(maxCacheBytes);
    expect(cache.size).toBeLessThan(10);
    expect(cache.get(10)).toBeDefined();
    expect(cache.get(1)).toBeUndefined();
    const evicted = await readMetric(running.url, 'relay_cache_evictions_total', {
      reason: 'bytes',
    });
    expect(evicted).toBe(10 - cache.size);
  });

  it('keeps one task larger than the limit', async () => {
    running = await startRelay({ maxCacheBytes: 2000 });

    await postTask({ ID: 1 });
    await postTask({ ID: 2, RenderOutputFiles: outputFiles(2, 30) });

    const cache = running.relay.store.cache;
    expect(cache.get(2)?.task.renderOutputFiles).toHaveLength(30);
    expect(cache.get(1)).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('expires finished tasks only', async () => {
    running = await startRelay({ retentionMs: 50 });

    await postTask({ ID: 1, Status: 2, CompletedTime: 1574318325 });
    await postTask({ ID: 2, Status: 4 });
    await postTask({ ID: 3, Status: 1 });
    running.relay.store.expire(Date.now() + 1000);

    const cache = running.relay.store.cache;
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(3)?.task.status).toBe(1);
    expect(
      await readMetric(running.url, 'relay_cache_evictions_total', { reason: 'expired' }),
    ).toBe(2);
  });

  it('keeps finished tasks within retention', async () => {
    running = await startRelay({ retentionMs: 60_000 });

    await postTask({ ID: 1, Status: 2 });
    running.relay.store.expire(Date.now() + 1000);

    expect(running.relay.store.cache.get(1)).toBeDefined();
  });

  it('stops expiring a task restarted', async () => {
    running = await startRelay({ retentionMs: 50 });

    await postTask({ ID: 1, Status: 2, FrameCompleted: 10 });
    await postTask({ ID: 1, Status: 1, StartTime: 1574400000, FrameCompleted: 0 });
    running.relay.store.expire(Date.now() + 1000);

    expect(running.relay.store.cache.get(1)?.task.status).toBe(1);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';

interface TaskList {
  tasks: { id: number; statusName: string; renderOutputFiles?: unknown }[];
  nextCursor: string | null;
  epoch: string;
  seq: number;
}

describe('read routes', () => {
  let running: RunningRelay;

  afterEach(async () => {
    await running?.close();
  });

  async function seed(): Promise<void> {
    const tasks = [
      { ID: 1, Owner: 1601, AgencyUserID: 3, Status: 1 },
      { ID: 2, Owner: 1601, AgencyUserID: 3, Status: 2 },
      { ID: 3, Owner: 1700, AgencyUserID: 4, Status: 1 },
      { ID: 4, Owner: 1800, AgencyUserID: 4, Status: 4 },
      { ID: 5, Owner: 1800, AgencyUserID: 5, Status: 9 },
    ];
    for (const fields of tasks) {
      await postCallback(
        running.url,
        'updateinfo',
        baseTask({ ...fields, RenderOutputFiles: [{ name: '/a.tga', size: 1 }] }),
      );
    }
  }

  async function list(query: string): Promise<{ status: number; body: TaskList }> {
    const response = await fetch(`${running.url}/api/tasks${query}`);
    return { status: response.status, body: (await response.json()) as TaskList };
  }

  it('lists tasks newest id first', async () => {
    running = await startRelay();
    await seed();
    const { body } = await list('');
    expect(body.tasks.map((task) => task.id)).toEqual([5, 4, 3, 2, 1]);
    expect(body.nextCursor).toBeNull();
    expect(body.seq).toBe(5);
    expect(body.tasks[0]).not.toHaveProperty('renderOutputFiles');
  });

  it.each([
    ['?owner=1601', [2, 1]],
    ['?agency=4', [4, 3]],
    ['?agency=3&agency=5', [5, 2, 1]],
    ['?agency=3,5', [5, 2, 1]],
    ['?status=1', [3, 1]],
    ['?status=2,4&agency=4', [4]],
    ['?owner=1800&status=9', [5]],
  ])('filters with %s', async (query, ids) => {
    running = await startRelay();
    await seed();
    const { body } = await list(query);
    expect(body.tasks.map((task) => task.id)).toEqual(ids);
  });

  it('pages with a cursor', async () => {
    running = await startRelay();
    await seed();
    const first = await list('?limit=2');
    expect(first.body.tasks.map((task) => task.id)).toEqual([5, 4]);
    expect(first.body.nextCursor).toBe('4');

    const second = await list(`?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.tasks.map((task) => task.id)).toEqual([3, 2]);

    const third = await list(`?limit=2&cursor=${second.body.nextCursor}`);
    expect(third.body.tasks.map((task) => task.id)).toEqual([1]);
    expect(third.body.nextCursor).toBeNull();
  });

  it.each(['?limit=0', '?limit=5000', '?owner=abc', '?cursor=x', '?status=1,two'])(
    'rejects %s',
    async (query) => {
      running = await startRelay();
      const { status, body } = await list(query);
      expect(status).toBe(400);
      expect((body as unknown as { code: string }).code).toBe('RS_ERR_QUERY_INVALID');
    },
  );

  it('returns one task with its files', async () => {
    running = await startRelay();
    await seed();
    const response = await fetch(`${running.url}/api/tasks/5`);
    const task = (await response.json()) as {
      id: number;
      statusName: string;
      renderOutputFiles: unknown[];
      updatedAt: number;
    };
    expect(response.status).toBe(200);
    expect(task.statusName).toBe('unknown');
    expect(task.renderOutputFiles).toEqual([{ name: '/a.tga', size: 1, time: 0, isdir: false }]);
    expect(task.updatedAt).toBeGreaterThan(1_600_000_000_000);
  });

  it('answers 404 for an unknown task', async () => {
    running = await startRelay();
    const response = await fetch(`${running.url}/api/tasks/42`);
    const body = (await response.json()) as { code: string; message: string };
    expect(response.status).toBe(404);
    expect(body.code).toBe('RS_ERR_TASK_NOT_FOUND');
    expect(body.message).toContain('42');
  });

  it('answers 400 for a malformed id', async () => {
    running = await startRelay();
    const response = await fetch(`${running.url}/api/tasks/abc`);
    expect(response.status).toBe(400);
  });
});

describe('health routes', () => {
  let running: RunningRelay;

  afterEach(async () => {
    await running?.close();
  });

  it('reports live and ready', async () => {
    running = await startRelay();
    const live = await fetch(`${running.url}/healthz`);
    const ready = await fetch(`${running.url}/readyz`);
    expect(live.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('exposes Prometheus metrics', async () => {
    running = await startRelay();
    await postCallback(running.url, 'updateinfo', baseTask());
    const response = await fetch(`${running.url}/metrics`);
    const text = await response.text();
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(text).toContain('relay_callbacks_total{route="updateinfo",outcome="created"} 1');
    expect(text).toContain('relay_events_published_total{type="task.created"} 1');
    expect(text).toContain('relay_cache_tasks 1');
    expect(text).toContain('relay_history_events 1');
  });

  it('answers unknown paths with JSON 404', async () => {
    running = await startRelay();
    const response = await fetch(`${running.url}/nothing-here`);
    const body = (await response.json()) as { code: string };
    expect(response.status).toBe(404);
    expect(body.code).toBe('RS_ERR_ROUTE_NOT_FOUND');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { getTaskView, readMetric } from './support.js';

const REQUIRED = '"Owner":1601,"AgencyUserID":3,"Status":1';

describe('callback key matching', () => {
  let running: RunningRelay | undefined;

  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it.each(['id', 'Id', 'ID', 'iD'])('reads the task id as %s', async (key) => {
    running = await startRelay();

    const reply = await postCallback(running.url, 'updateinfo', `{"${key}":4242,${REQUIRED}}`);

    expect(reply.status).toBe(200);
    expect(running.relay.store.cache.get(4242)?.task.id).toBe(4242);
  });

  it('reads every field lower-cased', async () => {
    running = await startRelay();
    const lowered = Object.fromEntries(
      Object.entries(baseTask({ FrameCompleted: 4 })).map(([key, value]) => [
        key.toLowerCase(),
        value,
      ]),
    );

    const reply = await postCallback(running.url, 'updateinfo', lowered);

    expect(reply.status).toBe(200);
    const task = running.relay.store.cache.get(67721)?.task;
    expect(task?.agencyUserId).toBe(3);
    expect(task?.frameCompleted).toBe(4);
    expect(task?.extra).toEqual({});
  });

  it('takes the later of two spellings', async () => {
    running = await startRelay();

    const reply = await postCallback(
      running.url,
      'updateinfo',
      `{"ID":67721,${REQUIRED},"Name":"first","name":"second"}`,
    );

    expect(reply.status).toBe(200);
    expect(running.relay.store.cache.get(67721)?.task.name).toBe('second');
  });

  it('takes the later of two ID spellings', async () => {
    running = await startRelay();

    const reply = await postCallback(running.url, 'updateinfo', `{"ID":1,${REQUIRED},"id":2}`);

    expect(reply.status).toBe(200);
    expect(running.relay.store.cache.get(1)).toBeUndefined();
    expect(running.relay.store.cache.get(2)?.task.id).toBe(2);
  });

  it('reads file keys in any case', async () => {
    running = await startRelay();

    const reply = await postCallback(
      running.url,
      'updateinfo',
      baseTask({ renderOutputFiles: [{ NAME: 'a.tga', Size: 10, TIME: 5, IsDir: 1 }] }),
    );

    expect(reply.status).toBe(200);
    expect(running.relay.store.cache.get(67721)?.task.renderOutputFiles).toEqual([
      { name: 'a.tga', size: 10, time: 5, isdir: true },
    ]);
  });

  it('fills the light-job time from its alias', async () => {
    running = await startRelay();

    const reply = await postCallback(
      running.url,
      'updateinfo',
      baseTask({ lightjobtimethreadtotal: 480 }),
    );

    expect(reply.status).toBe(200);
    const task = running.relay.store.cache.get(67721)?.task;
    expect(task?.lightJobRenderTimeThread).toBe(480);
    expect(task?.extra).toEqual({});
  });

  it('ignores prototype keys', async () => {
    running = await startRelay();
    const body =
      `{"ID":67721,${REQUIRED},"__proto__":{"polluted":true},` +
      '"constructor":{"prototype":{"polluted":true}},"Prototype":{"polluted":true},' +
      '"RenderOutputFiles":[{"name":"a","__proto__":{"polluted":true}}]}';

    const reply = await postCallback(running.url, 'updateinfo', body);

    expect(reply.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const extra = running.relay.store.cache.get(67721)?.task.extra ?? {};
    expect(Object.keys(extra)).toEqual([]);
    expect(Object.getPrototypeOf(extra)).toBe(Object.prototype);
    expect(Object.hasOwn(extra, '__proto__')).toBe(false);
  });
});

describe('callback unknown keys', () => {
  let running: RunningRelay | undefined;

  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('keeps unknown keys in extra', async () => {
    running = await startRelay();

    const reply = await postCallback(
      running.url,
      'updateinfo',
      baseTask({ Priority: 5, Region: 'cn-east', Tags: ['a', 'b'] }),
    );

    expect(reply.status).toBe(200);
    expect(running.relay.store.cache.get(67721)?.task.extra).toEqual({
      priority: 5,
      region: 'cn-east',
      tags: ['a', 'b'],
    });
  });

  it('keeps a large unknown integer as text', async () => {
    running = await startRelay();

    const reply = await postCallback(
      running.url,
      'updateinfo',
      `{"ID":67721,${REQUIRED},"OrderNo":12345678901234567890}`,
    );

    expect(reply.status).toBe(200);
    expect(running.relay.store.cache.get(67721)?.task.extra).toEqual({
      orderno: '12345678901234567890',
    });
  });

  it('keeps at most 32 unknown keys', async () => {
    running = await startRelay();
    const unknown = Object.fromEntries(
      Array.from({ length: 40 }, (_, index) => [`Extra${String(index).padStart(2, '0')}`, index]),
    );

    const reply = await postCallback(running.url, 'updateinfo', baseTask(unknown));

    expect(reply.status).toBe(200);
    const extra = running.relay.store.cache.get(67721)?.task.extra ?? {};
    expect(Object.keys(extra)).toHaveLength(32);
    expect(extra.extra00).toBe(0);
    expect(extra.extra32).toBeUndefined();
    expect(await readMetric(running.url, 'relay_extra_keys_dropped_total')).toBe(8);
  });

  it('drops an unknown value over 1 KiB', async () => {
    running = await startRelay();

    const reply = await postCallback(
      running.url,
      'updateinfo',
      baseTask({ Small: 'ok', Large: 'x'.repeat(2000) }),
    );

    expect(reply.status).toBe(200);
    expect(running.relay.store.cache.get(67721)?.task.extra).toEqual({ small: 'ok' });
    expect(await readMetric(running.url, 'relay_extra_keys_dropped_total')).toBe(1);
  });

  it('keeps an unknown status', async () => {
    running = await startRelay();

    const reply = await postCallback(running.url, 'updateinfo', baseTask({ Status: 9 }));

    expect(reply.status).toBe(200);
    expect(running.relay.store.cache.get(67721)?.task.status).toBe(9);
    const view = await getTaskView(running.url, 67721);
    expect(view.status).toBe(9);
    expect(view.statusName).toBe('unknown');
  });
});

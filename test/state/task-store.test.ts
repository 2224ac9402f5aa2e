import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/protocol/task-schema.js';
import { type ApplyOutcome, TaskStore, type TaskStoreOptions } from '../../src/state/task-store.js';
import { canonicalTask } from '../helpers/task.js';

const HOUR_MS = 3_600_000;

function makeStore(overrides: Partial<TaskStoreOptions> = {}): TaskStore {
  return new TaskStore({
    maxTasks: 1000,
    maxBytes: 64 * 1024 * 1024,
    retentionMs: 24 * HOUR_MS,
    duplicateWindowMs: 600_000,
    recentStatesPerTask: 8,
    maxTombstones: 1000,
    ...overrides,
  });
}

const task = canonicalTask;

const kindOf = (outcome: ApplyOutcome): string => outcome.kind;

describe('TaskStore', () => {
  describe('#apply', () => {
    it('creates an unknown task', () => {
      const store = makeStore();
      expect(kindOf(store.apply(task(), 'update', 1000))).toBe('created');
      expect(store.cache.get(67721)?.updatedAt).toBe(1000);
    });

    it('reports a resend of the current state as duplicate', () => {
      const store = makeStore();
      store.apply(task(), 'update', 1000);
      expect(kindOf(store.apply(task(), 'update', 2000))).toBe('duplicate');
      expect(store.cache.get(67721)?.updatedAt).toBe(1000);
    });

    it('updates on progress', () => {
      const store = makeStore();
      store.apply(task(), 'update', 1000);
      const outcome = store.apply(task({ frameCompleted: 3 }), 'update', 2000);
      expect(kindOf(outcome)).toBe('updated');
      expect(store.cache.get(67721)?.task.frameCompleted).toBe(3);
    });

    it('rejects a late copy with fewer frames as stale', () => {
      const store = makeStore();
      store.apply(task({ frameCompleted: 5 }), 'update', 1000);
      const outcome = store.apply(task({ frameCompleted: 3 }), 'update', 2000);
      expect(outcome).toEqual({ kind: 'stale', reason: 'frames-regressed' });
      expect(store.cache.get(67721)?.task.frameCompleted).toBe(5);
    });

    it.each([
      ['earlier-run', { startTime: 1574318000 }],
      ['render-time-regressed', { renderTimeThreadTotal: 1 }],
      ['gross-regressed', { gross: 1 }],
      ['light-job-gross-regressed', { lightJobGross: 1 }],
      ['output-files-regressed', { renderOutputFiles: [] }],
      ['completion-undone', { completedTime: 0, status: 1 }],
    ] as [string, Partial<Task>][])('reports %s as stale', (reason, older) => {
      const store = makeStore();
      const current = task({
        renderTimeThreadTotal: 10,
        gross: 10,
        lightJobGross: 10,
        completedTime: 1574318325,
        status: 2,
        renderOutputFiles: [{ name: '/a.tga', size: 1, time: 0, isdir: false }],
      });
      store.apply(current, 'update', 1000);

      const outcome = store.apply({ ...current, ...older }, 'update', 2000);
      expect(outcome).toEqual({ kind: 'stale', reason });
    });

    it('accepts a resume with the same frames', () => {
      const store = makeStore();
      store.apply(task({ frameCompleted: 4 }), 'update', 1000);
      store.apply(task({ frameCompleted: 4, status: 3 }), 'update', 2000);
      const resumed = store.apply(task({ frameCompleted: 5, status: 1 }), 'update', 3000);
      expect(kindOf(resumed)).toBe('updated');
    });

    it('accepts a re-render with a later start', () => {
      const store = makeStore();
      store.apply(
        task({ frameCompleted: 10, status: 2, completedTime: 1574318325 }),
        'update',
        1000,
      );
      const rerun = store.apply(task({ startTime: 1574319000, frameCompleted: 0 }), 'update', 2000);
      expect(kindOf(rerun)).toBe('updated');
    });

    it('treats an earlier state resent within the window as stale', () => {
      const store = makeStore();
      store.apply(task({ status: 8, startTime: 0 }), 'update', 1000);
      store.apply(task({ status: 6, startTime: 0 }), 'update', 2000);
      const late = store.apply(task({ status: 8, startTime: 0 }), 'update', 3000);
      expect(late).toEqual({ kind: 'stale', reason: 'earlier-state-resent' });
      expect(store.cache.get(67721)?.task.status).toBe(6);
    });

    it('accepts an earlier state again after the window', () => {
      const store = makeStore({ duplicateWindowMs: 1000 });
      store.apply(task({ frameCompleted: 4, status: 1 }), 'update', 1000);
      store.apply(task({ frameCompleted: 4, status: 3 }), 'update', 2000);
      const resumed = store.apply(task({ frameCompleted: 4, status: 1 }), 'update', 10_000);
      expect(kindOf(resumed)).toBe('updated');
    });
  });

  describe('deletion', () => {
    it('removes the task and keeps a tombstone', () => {
      const store = makeStore();
      store.apply(task(), 'update', 1000);
      const outcome = store.apply(task(), 'delete', 2000);
      expect(kindOf(outcome)).toBe('deleted');
      expect(store.cache.get(67721)).toBeUndefined();
      expect(store.tombstones.has(67721, 2000)).toBe(true);
    });

    it('deletes on action 3 through updateinfo', () => {
      const store = makeStore();
      store.apply(task(), 'update', 1000);
      expect(kindOf(store.apply(task({ action: 3 }), 'update', 2000))).toBe('deleted');
    });

    it('ignores late updates of a deleted task', () => {
      const store = makeStore();
      store.apply(task(), 'update', 1000);
      store.apply(task(), 'delete', 2000);
      expect(store.apply(task({ frameCompleted: 9 }), 'update', 3000)).toEqual({
        kind: 'stale',
        reason: 'deleted',
      });
      expect(store.cache.size).toBe(0);
    });

    it('forgets a deletion after the retention time', () => {
      const store = makeStore({ retentionMs: 1000 });
      store.apply(task(), 'delete', 1000);
      store.expire(5000);
      expect(store.tombstones.size).toBe(0);
      expect(kindOf(store.apply(task(), 'update', 5000))).toBe('created');
    });

    it('drops the oldest tombstone over the count limit', () => {
      const drops: string[] = [];
      const store = makeStore({
        maxTombstones: 2,
        onTombstoneDrop: (reason) => drops.push(reason),
      });
      for (const id of [1, 2, 3]) store.apply(task({ id }), 'delete', 1000 + id);
      expect(store.tombstones.size).toBe(2);
      expect(store.tombstones.has(1, 2000)).toBe(false);
      expect(drops).toEqual(['count']);
    });
  });

  describe('bounds', () => {
    it('evicts the least recently updated over the count', () => {
      const evicted: string[] = [];
      const store = makeStore({ maxTasks: 2, onEvict: (reason) => evicted.push(reason) });
      store.apply(task({ id: 1 }), 'update', 1000);
      store.apply(task({ id: 2 }), 'update', 1001);
      store.apply(task({ id: 1, frameCompleted: 1 }), 'update', 1002);
      store.apply(task({ id: 3 }), 'update', 1003);

      expect([...store.cache.values()].map((entry) => entry.task.id)).toEqual([1, 3]);
      expect(evicted).toEqual(['count']);
    });

    it('evicts by estimated bytes', () => {
      const evicted: string[] = [];
      const files = Array.from({ length: 50 }, (_, i) => ({
        name: `/2019-11-21/f-${i}.tga`,
        size: 1,
        time: 0,
        isdir: false,
      }));
      const store = makeStore({ maxBytes: 20_000, onEvict: (reason) => evicted.push(reason) });
      for (const id of [1, 2, 3, 4])
        store.apply(task({ id, renderOutputFiles: files }), 'update', 1000 + id);

      expect(store.cache.bytes).toBeLessThanOrEqual(20_000);
      expect(evicted.length).toBeGreaterThan(0);
      expect(evicted.every((reason) => reason === 'bytes')).toBe(true);
      expect(store.cache.get(4)).toBeDefined();
    });

    it('keeps an entry larger than the byte limit alone', () => {
      const files = Array.from({ length: 500 }, (_, i) => ({
        name: `/f-${i}.tga`,
        size: 1,
        time: 0,
        isdir: false,
      }));
      const store = makeStore({ maxBytes: 1000 });
      store.apply(task({ id: 1 }), 'update', 1000);
      store.apply(task({ id: 2, renderOutputFiles: files }), 'update', 1001);
      expect(store.cache.size).toBe(1);
      expect(store.cache.get(2)).toBeDefined();
    });

    it('expires finished tasks only', () => {
      const evicted: string[] = [];
      const store = makeStore({ retentionMs: 1000, onEvict: (reason) => evicted.push(reason) });
      store.apply(task({ id: 1, status: 2, completedTime: 1 }), 'update', 1000);
      store.apply(task({ id: 2, status: 4 }), 'update', 1000);
      store.apply(task({ id: 3, status: 1 }), 'update', 1000);
      store.expire(3000);

      expect([...store.cache.values()].map((entry) => entry.task.id)).toEqual([3]);
      expect(evicted).toEqual(['expired', 'expired']);
    });

    it('keeps byte accounting exact across updates', () => {
      const store = makeStore();
      store.apply(task({ id: 1 }), 'update', 1000);
      store.apply(task({ id: 1, frameCompleted: 1 }), 'update', 1001);
      store.apply(task({ id: 2 }), 'delete', 1002);
      const sum = [...store.cache.values()].reduce((total, entry) => total + entry.bytes, 0);
      expect(store.cache.bytes).toBe(sum);
    });
  });
});

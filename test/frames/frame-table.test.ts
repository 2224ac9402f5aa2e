import { describe, expect, test } from 'vitest';
import { readFrame } from '../../src/protocol/frame-schema.js';
import { FrameTable } from '../../src/state/frame-table.js';
import { frameBody, frameFile } from './support.js';

const WINDOW_MS = 600_000;

function frame(index: number, fields: Record<string, unknown> = {}) {
  return readFrame(frameBody(index, fields));
}

describe('frame table', () => {
  test('counts frames by status', () => {
    const table = new FrameTable(10, WINDOW_MS);

    table.apply(frame(0), 1);
    table.apply(frame(1), 1);
    table.apply(frame(0, { status: 2, rendertimethread: 10 }), 2);

    expect(table.statusCounts()).toEqual({ '1': 1, '2': 1 });
    expect(table.size).toBe(2);
  });

  test.each([
    ['render-time-regressed', { rendertimethread: 5, gross: 3, files: [frameFile(0)] }],
    ['gross-regressed', { rendertimethread: 10, gross: 1, files: [frameFile(0)] }],
    ['files-regressed', { rendertimethread: 10, gross: 3, files: [] }],
  ])('late copy is %s', (reason, fields) => {
    const table = new FrameTable(10, WINDOW_MS);
    table.apply(frame(0, { rendertimethread: 10, gross: 3, files: [frameFile(0)] }), 1);

    const outcome = table.apply(frame(0, fields), 2);

    expect(outcome).toEqual({ kind: 'stale', reason });
  });

  test('earlier state resent is stale', () => {
    const table = new FrameTable(10, WINDOW_MS);
    table.apply(frame(0), 1);
    table.apply(frame(0, { status: 3 }), 2);

    expect(table.apply(frame(0), 3)).toEqual({ kind: 'stale', reason: 'earlier-state-resent' });
    expect(table.apply(frame(0, { status: 3 }), 4)).toEqual({ kind: 'duplicate' });
  });

  test('full table drops new index', () => {
    const table = new FrameTable(2, WINDOW_MS);
    table.apply(frame(0), 1);
    table.apply(frame(1), 1);

    expect(table.apply(frame(2), 1)).toEqual({ kind: 'dropped' });
    expect(table.apply(frame(1, { status: 2 }), 2).kind).toBe('updated');
  });

  test('drop oldest updates counts', () => {
    const table = new FrameTable(10, WINDOW_MS);
    table.apply(frame(5, { status: 2 }), 1);
    table.apply(frame(6), 1);

    expect(table.dropOldest()).toBe(true);
    expect(table.get(5)).toBeUndefined();
    expect(table.statusCounts()).toEqual({ '1': 1 });
  });
});

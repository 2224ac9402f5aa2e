import { describe, expect, it } from 'vitest';
import type { EventDraft } from '../../src/events/event.js';
import { InMemoryEventLog } from '../../src/events/event-log.js';

function draft(id: number, padding = ''): EventDraft {
  return {
    type: 'task.updated',
    task: {
      id,
      name: padding,
      owner: 1,
      ownerName: 'u',
      agencyUserId: 3,
      status: 1,
      statusName: 'rendering',
    },
    changes: { frameCompleted: 1 },
    previous: { frameCompleted: 0 },
    outputFilesAdded: [],
  };
}

describe('InMemoryEventLog', () => {
  it('numbers events from one', () => {
    const log = new InMemoryEventLog({ maxEvents: 10, maxBytes: 1 << 20 });
    const first = log.publish(draft(1), 1000);
    const second = log.publish(draft(2), 1001);
    expect(first.event.seq).toBe(1);
    expect(second.event.seq).toBe(2);
    expect(second.event.epoch).toBe(log.epoch);
    expect(log.seq).toBe(2);
  });

  it('encodes the frame once as JSON', () => {
    const log = new InMemoryEventLog({ maxEvents: 10, maxBytes: 1 << 20 });
    const published = log.publish(draft(1), 1000);
    expect(JSON.parse(published.frame.toString())).toEqual(published.event);
    expect(Object.keys(published.event).slice(0, 4)).toEqual(['type', 'seq', 'epoch', 'at']);
  });

  it('replays the events after a position', () => {
    const log = new InMemoryEventLog({ maxEvents: 10, maxBytes: 1 << 20 });
    for (const id of [1, 2, 3, 4]) log.publish(draft(id), 1000);
    const replay = log.replay({ epoch: log.epoch, seq: 2 });
    expect(replay?.map(({ event }) => event.seq)).toEqual([3, 4]);
  });

  it('replays nothing at the head', () => {
    const log = new InMemoryEventLog({ maxEvents: 10, maxBytes: 1 << 20 });
    log.publish(draft(1), 1000);
    expect(log.replay({ epoch: log.epoch, seq: 1 })).toEqual([]);
  });

  it('refuses another epoch', () => {
    const log = new InMemoryEventLog({ maxEvents: 10, maxBytes: 1 << 20 });
    log.publish(draft(1), 1000);
    expect(log.replay({ epoch: 'other', seq: 0 })).toBeNull();
  });

  it('refuses a position from the future', () => {
    const log = new InMemoryEventLog({ maxEvents: 10, maxBytes: 1 << 20 });
    expect(log.replay({ epoch: log.epoch, seq: 5 })).toBeNull();
  });

  it('refuses a position older than the history', () => {
    const drops: string[] = [];
    const log = new InMemoryEventLog({
      maxEvents: 3,
      maxBytes: 1 << 20,
      onDrop: (reason) => drops.push(reason),
    });
    for (const id of [1, 2, 3, 4, 5]) log.publish(draft(id), 1000);

    expect(log.history.size).toBe(3);
    expect(drops).toEqual(['count', 'count']);
    expect(log.replay({ epoch: log.epoch, seq: 1 })).toBeNull();
    expect(log.replay({ epoch: log.epoch, seq: 2 })?.map(({ event }) => event.seq)).toEqual([
      3, 4, 5,
    ]);
  });

  it('drops the oldest events over the byte limit', () => {
    const drops: string[] = [];
    const log = new InMemoryEventLog({
      maxEvents: 100,
      maxBytes: 2000,
      onDrop: (reason) => drops.push(reason),
    });
    for (let id = 1; id <= 10; id++) log.publish(draft(id, 'x'.repeat(400)), 1000);

    expect(log.history.bytes).toBeLessThanOrEqual(2000);
    expect(drops.length).toBeGreaterThan(0);
    expect(drops.every((reason) => reason === 'bytes')).toBe(true);
    expect(log.history.oldestSeq).toBe(10 - log.history.size + 1);
  });

  it('keeps order across compaction', () => {
    const log = new InMemoryEventLog({ maxEvents: 5, maxBytes: 1 << 30 });
    for (let id = 1; id <= 5000; id++) log.publish(draft(id), 1000);
    expect(log.replay({ epoch: log.epoch, seq: 4995 })?.map(({ event }) => event.seq)).toEqual([
      4996, 4997, 4998, 4999, 5000,
    ]);
  });

  it('calls listeners until removed', () => {
    const log = new InMemoryEventLog({ maxEvents: 10, maxBytes: 1 << 20 });
    const seen: number[] = [];
    const unlisten = log.listen(({ event }) => seen.push(event.seq));
    log.publish(draft(1), 1000);
    unlisten();
    log.publish(draft(2), 1000);
    expect(seen).toEqual([1]);
  });
});

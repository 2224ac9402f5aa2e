import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/bridge/formats/index.js';
import type { Notice } from '../../src/bridge/notice.js';
import { noticeOf } from '../../src/bridge/notice.js';
import { RobotQueue, type RobotQueueOptions } from '../../src/bridge/robot-queue.js';
import { captureLogger, FakeClock, statusEvent } from './support.js';

interface Post {
  readonly at: number;
  readonly notices: readonly Notice[];
}

/** A queue whose posts are recorded; `replies` are the outcomes of the first posts, then every post is ok. */
function queueWith(
  clock: FakeClock,
  replies: Outcome[] = [],
  options: Partial<RobotQueueOptions> = {},
): { queue: RobotQueue; posts: Post[]; logs: ReturnType<typeof captureLogger> } {
  const posts: Post[] = [];
  const logs = captureLogger();
  const queue = new RobotQueue({
    deliver: async (notices) => {
      posts.push({ at: clock.now(), notices });
      return replies.shift() ?? { kind: 'ok' };
    },
    clock,
    logger: logs.logger,
    perMinute: 20,
    burst: 4,
    throttlePauseMs: 600_000,
    random: () => 0.5,
    ...options,
  });
  return { queue, posts, logs };
}

const notice = (seq: number, epoch = 'e1'): Notice =>
  noticeOf(statusEvent(seq, { id: 1000 + seq, epoch }), undefined);

describe('robot queue', () => {
  it('burst of fifty merges digests', async () => {
    const clock = new FakeClock();
    const { queue, posts } = queueWith(clock);

    // Events arrive one per 100 ms, as a storm of task completions would.
    for (let seq = 1; seq <= 50; seq++) {
      queue.push(notice(seq));
      await clock.advance(100);
    }
    await clock.advance(10 * 60_000);

    const delivered = posts.flatMap((post) => post.notices.map((n) => n.id));
    expect(delivered).toEqual(Array.from({ length: 50 }, (_, i) => 1001 + i));
    expect(posts.length).toBeLessThan(50);
    expect(posts.some((post) => post.notices.length > 1)).toBe(true);
    for (const post of posts) {
      const inWindow = posts.filter((other) => other.at >= post.at && other.at < post.at + 60_000);
      expect(inWindow.length).toBeLessThanOrEqual(20);
    }
  });

  it('sustained storm stays under limit', async () => {
    const clock = new FakeClock();
    const { queue, posts } = queueWith(clock, [], { digestMax: 1, maxQueue: 1000 });

    for (let seq = 1; seq <= 200; seq++) queue.push(notice(seq));
    await clock.advance(15 * 60_000);

    expect(posts).toHaveLength(200);
    for (const post of posts) {
      const inWindow = posts.filter((other) => other.at >= post.at && other.at < post.at + 60_000);
      expect(inWindow.length).toBeLessThanOrEqual(20);
    }
  });

  it('fails twice then posts once', async () => {
    const clock = new FakeClock();
    const failure: Outcome = { kind: 'retry', reason: 'HTTP 502', throttled: false };
    const { queue, posts, logs } = queueWith(clock, [failure, failure]);

    queue.push(notice(1));
    await clock.advance(60_000);

    expect(posts).toHaveLength(3);
    expect(queue.stats.messages).toBe(1);
    expect(queue.stats.delivered).toBe(1);
    const retries = logs.records().filter((r) => r.msg === 'robot post failed; retrying');
    expect(retries.map((r) => r.delayMs)).toEqual([1500, 3000]);
  });

  it('throttle pauses the robot', async () => {
    const clock = new FakeClock();
    const { queue, posts } = queueWith(clock, [
      { kind: 'retry', reason: 'errcode 130101', throttled: true },
    ]);

    queue.push(notice(1));
    await clock.advance(1000);
    queue.push(notice(2));
    await clock.advance(599_000 - 1000);
    expect(posts).toHaveLength(1);

    await clock.advance(2000);
    expect(posts).toHaveLength(2);
    expect(posts[1]?.notices.map((n) => n.id)).toEqual([1001, 1002]);
  });

  it('fatal reply is not retried', async () => {
    const clock = new FakeClock();
    const { queue, posts, logs } = queueWith(clock, [{ kind: 'fatal', reason: 'errcode 310000' }]);

    queue.push(notice(1));
    await clock.advance(600_000);

    expect(posts).toHaveLength(1);
    expect(queue.stats.failed).toBe(1);
    expect(logs.records().some((r) => r.level === 50 && r.reason === 'errcode 310000')).toBe(true);
  });

  it('gives up after max attempts', async () => {
    const clock = new FakeClock();
    const failure: Outcome = {
      kind: 'retry',
      reason: 'network error: ECONNREFUSED',
      throttled: false,
    };
    const { queue, posts } = queueWith(clock, Array(10).fill(failure), { maxAttempts: 3 });

    queue.push(notice(1));
    await clock.advance(3_600_000);

    expect(posts).toHaveLength(3);
    expect(queue.stats.failed).toBe(1);
  });

  it('same event queued once', async () => {
    const clock = new FakeClock();
    const { queue, posts } = queueWith(clock);

    expect(queue.push(notice(1))).toBe(true);
    await clock.advance(1000);
    expect(queue.push(notice(1))).toBe(false);
    expect(queue.push(notice(1, 'e2'))).toBe(true);
    await clock.advance(60_000);

    expect(posts.flatMap((p) => p.notices.map((n) => n.key))).toEqual(['e1:1', 'e2:1']);
    expect(queue.stats.duplicates).toBe(1);
  });

  it('full queue drops oldest', async () => {
    const clock = new FakeClock();
    const { queue, logs } = queueWith(clock, [], { maxQueue: 5 });

    for (let seq = 1; seq <= 8; seq++) queue.push(notice(seq));

    expect(queue.size).toBe(5);
    expect(queue.stats.dropped).toBe(3);
    const drops = logs
      .records()
      .filter((r) => r.msg === 'robot queue full; oldest notices dropped');
    expect(drops).toHaveLength(3);
    expect(drops.at(-1)?.droppedTotal).toBe(3);
  });

  it('drain resolves when idle', async () => {
    const clock = new FakeClock();
    const { queue } = queueWith(clock);

    queue.push(notice(1));
    const drained = queue.drain(5000);
    await clock.advance(10);

    await expect(drained).resolves.toBe(true);
  });
});

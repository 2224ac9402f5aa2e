import { describe, expect, it } from 'vitest';
import { RateLimiter, sleep } from '../../src/simulate/rate-limiter.js';

/** Creates a clock that moves only when the limiter sleeps, so tests see exact times. */
function fakeClock(): {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  sleeps: number[];
} {
  let time = 0;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      time += ms;
    },
    sleeps,
  };
}

async function acquireTimes(
  limiter: RateLimiter,
  clock: { now: () => number },
  count: number,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    await limiter.acquire();
    times.push(clock.now());
  }
  return times;
}

describe('rate-limiter', () => {
  it('spaces requests at the rate', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ ratePerSecond: 10, ...clock });

    expect(await acquireTimes(limiter, clock, 4)).toEqual([0, 100, 200, 300]);
  });

  it('never exceeds burst plus rate', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ ratePerSecond: 5000, burst: 50, ...clock });
    const times = await acquireTimes(limiter, clock, 2000);

    for (const [index, time] of times.entries()) {
      // Request n may start once n + 1 - burst tokens have accrued at 5 per ms.
      expect(time).toBeGreaterThanOrEqual((index + 1 - 50) / 5 - 1e-9);
    }
  });

  it('defaults burst to 1 at low rates', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ ratePerSecond: 2, ...clock });
    await limiter.acquire();
    clock.sleeps.length = 0;
    await clock.sleep(10_000);
    const times = await acquireTimes(limiter, clock, 3);

    expect(times).toEqual([10_000, 10_500, 11_000]);
  });

  it('refills up to burst after idling', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ ratePerSecond: 1000, burst: 10, ...clock });
    await limiter.acquire();
    await clock.sleep(1000);
    const times = await acquireTimes(limiter, clock, 12);

    expect(times.slice(0, 10)).toEqual(new Array(10).fill(1000));
    expect(times.slice(10)).toEqual([1001, 1002]);
  });

  it('returns false once aborted', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ ratePerSecond: 1, ...clock });
    const controller = new AbortController();
    controller.abort();

    expect(await limiter.acquire(controller.signal)).toBe(false);
  });

  it('stops waiting on abort', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 0.1 });
    await limiter.acquire();
    const controller = new AbortController();
    const pending = limiter.acquire(controller.signal);
    controller.abort();

    expect(await pending).toBe(false);
  });

  it('resolves sleep on abort without error', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort();

    await expect(pending).resolves.toBeUndefined();
  });
});

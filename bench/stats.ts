/**
 * Timing and summary helpers shared by the benchmark sections. Every clock reading comes from
 * `process.hrtime.bigint()`, in nanoseconds.
 */

/** One timed run: how many operations finished and how long they took. */
export interface Sample {
  readonly ops: number;
  readonly ns: number;
}

/** How many rounds a measurement runs. The warm-up rounds run first and are discarded. */
export interface RoundPlan {
  readonly warmupRounds: number;
  readonly rounds: number;
}

/** The plan every section uses: one warm-up round, then five measured rounds. */
export const ROUNDS: RoundPlan = { warmupRounds: 1, rounds: 5 };

/** Reads the monotonic clock, in nanoseconds. */
export function now(): bigint {
  return process.hrtime.bigint();
}

/** Returns the nanoseconds passed since `start`. */
export function elapsedNs(start: bigint): number {
  return Number(process.hrtime.bigint() - start);
}

/** Returns a sample's rate in operations per second. */
export function perSecond(sample: Sample): number {
  return sample.ns === 0 ? 0 : (sample.ops * 1e9) / sample.ns;
}

/** Returns a sample's mean time per operation, in microseconds. */
export function microsPerOp(sample: Sample): number {
  return sample.ops === 0 ? 0 : sample.ns / 1e3 / sample.ops;
}

/**
 * Calls `step(i)` for i = 0, 1, … until `count` calls are done or `capMs` has passed, and
 * returns what finished. The clock is read every 8 calls, so the cap may be passed by 7 calls.
 */
export function timeLoop(count: number, capMs: number, step: (i: number) => void): Sample {
  const capNs = capMs * 1e6;
  const start = now();
  let done = 0;

  while (done < count) {
    step(done);
    done += 1;
    if (done % 8 === 0 && elapsedNs(start) > capNs) break;
  }

  return { ops: done, ns: elapsedNs(start) };
}

/**
 * Runs `round(index)` for the warm-up rounds and then the measured rounds, one after the other,
 * and returns the results of the measured rounds only.
 */
export async function runRounds<T>(
  plan: RoundPlan,
  round: (index: number) => T | Promise<T>,
): Promise<T[]> {
  const results: T[] = [];

  for (let index = 0; index < plan.warmupRounds + plan.rounds; index += 1) {
    const result = await round(index);
    if (index >= plan.warmupRounds) results.push(result);
  }

  return results;
}

/** Returns the median of the values (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values: measure at least one round');

  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] as number;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Returns the median rate, in operations per second, of the samples. */
export function medianPerSecond(samples: readonly Sample[]): number {
  return median(samples.map(perSecond));
}

/** Returns the median time per operation, in microseconds, of the samples. */
export function medianMicrosPerOp(samples: readonly Sample[]): number {
  return median(samples.map(microsPerOp));
}

/**
 * Returns the p-th percentile (0 < p ≤ 100) of values sorted in ascending order, by the
 * nearest-rank method.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;

  const rank = Math.ceil((p / 100) * sorted.length);
  const index = Math.min(sorted.length - 1, Math.max(0, rank - 1));
  return sorted[index] as number;
}

/** Builds the two rows of a callback case: callbacks per second and microseconds per callback. */
export function callbackRows(
  name: string,
  relaySamples: readonly Sample[],
  baselineSamples: readonly Sample[],
): { name: string; result: number; unit: string; baseline: number }[] {
  return [
    {
      name,
      result: medianPerSecond(relaySamples),
      unit: 'callbacks/s',
      baseline: medianPerSecond(baselineSamples),
    },
    {
      name,
      result: medianMicrosPerOp(relaySamples),
      unit: 'µs/callback',
      baseline: medianMicrosPerOp(baselineSamples),
    },
  ];
}

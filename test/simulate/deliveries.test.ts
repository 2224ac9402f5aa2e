import { describe, expect, it } from 'vitest';
import { planDeliveries } from '../../src/simulate/deliveries.js';
import { createRandom } from '../../src/simulate/random.js';
import type { Callback } from '../../src/simulate/task-body.js';
import { generateTaskLife } from '../../src/simulate/task-life.js';

function life(seed: number): Callback[] {
  return generateTaskLife({
    id: 10,
    owner: 1601,
    ownerName: 'test2',
    agencyUserId: 3,
    type: 0,
    createTime: 1574318124,
    random: createRandom(seed),
    maxFrames: 40,
  });
}

describe('deliveries', () => {
  it('keeps order without faults', () => {
    const callbacks = life(1);
    const deliveries = planDeliveries(callbacks, createRandom(1), { resendRatio: 0, lateRatio: 0 });

    expect(deliveries.map((delivery) => delivery.callback)).toEqual(callbacks);
    expect(deliveries.every((delivery) => delivery.kind === 'original')).toBe(true);
  });

  it('resends right after the original', () => {
    const callbacks = life(2);
    const deliveries = planDeliveries(callbacks, createRandom(2), { resendRatio: 1, lateRatio: 0 });

    expect(deliveries).toHaveLength(callbacks.length * 2);
    for (const [index, callback] of callbacks.entries()) {
      expect(deliveries[index * 2]).toEqual({ callback, kind: 'original' });
      expect(deliveries[index * 2 + 1]?.callback).toBe(callback);
      expect(deliveries[index * 2 + 1]?.kind).toBe('resend');
    }
  });

  it('delivers late after a newer callback', () => {
    for (let seed = 0; seed < 50; seed++) {
      const callbacks = life(seed);
      const deliveries = planDeliveries(callbacks, createRandom(seed), {
        resendRatio: 0.2,
        lateRatio: 0.3,
      });

      for (const [index, delivery] of deliveries.entries()) {
        if (delivery.kind !== 'late') continue;
        const position = callbacks.indexOf(delivery.callback);
        const newer = deliveries
          .slice(0, index)
          .some((earlier) => callbacks.indexOf(earlier.callback) > position);
        expect(newer).toBe(true);
      }
    }
  });

  it('delivers every callback once', () => {
    for (let seed = 0; seed < 50; seed++) {
      const callbacks = life(seed);
      const deliveries = planDeliveries(callbacks, createRandom(seed), {
        resendRatio: 0.5,
        lateRatio: 0.5,
      });
      const firstCopies = deliveries.filter((delivery) => delivery.kind !== 'resend');

      expect(firstCopies).toHaveLength(callbacks.length);
      expect(new Set(firstCopies.map((delivery) => delivery.callback))).toEqual(new Set(callbacks));
    }
  });

  it('never holds back the last callback', () => {
    const callbacks = life(3);
    const deliveries = planDeliveries(callbacks, createRandom(3), { resendRatio: 0, lateRatio: 1 });

    expect(deliveries.filter((delivery) => delivery.kind === 'late')).toHaveLength(
      Math.floor(callbacks.length / 2),
    );
    expect(deliveries.at(-1)?.kind).toBe(callbacks.length % 2 === 0 ? 'late' : 'original');
    expect(
      deliveries.some(
        (delivery) => delivery.kind === 'late' && delivery.callback === callbacks.at(-1),
      ),
    ).toBe(false);
  });
});

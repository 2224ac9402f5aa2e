/**
 * Plans the order in which one task's callbacks reach the relay. It adds two faults of real
 * platform traffic: a callback sent twice, as after a retry whose first reply was lost, and a
 * callback that arrives after a newer one of the same task, as when requests overtake each other.
 */
import { chance, type Random } from './random.js';
import type { SimulatedCallback } from './task-body.js';

/**
 * `original`: in order. `resend`: an unchanged copy right after the original. `late`: after a newer
 * callback.
 */
export type DeliveryKind = 'original' | 'resend' | 'late';

/** One POST to make: the callback and why it is sent at this point. */
export interface Delivery<C extends SimulatedCallback = SimulatedCallback> {
  readonly callback: C;
  readonly kind: DeliveryKind;
}

export interface DeliveryFaults {
  /** Probability, from 0 to 1, that a callback is sent a second time. */
  readonly resendRatio: number;
  /** Probability, from 0 to 1, that a callback is held back until the next one has been sent. */
  readonly lateRatio: number;
}

/**
 * Plans the deliveries of a life. Every callback is delivered at least once. A late callback
 * comes right after the next callback and its resend, if any. The last callback is never late,
 * because nothing newer follows it, and at most one callback is held back at a time.
 */
export function planDeliveries<C extends SimulatedCallback>(
  callbacks: readonly C[],
  random: Random,
  faults: DeliveryFaults,
): Delivery<C>[] {
  const deliveries: Delivery<C>[] = [];
  let heldBack: C | undefined;

  for (const [index, callback] of callbacks.entries()) {
    const isLast = index === callbacks.length - 1;
    if (heldBack === undefined && !isLast && chance(random, faults.lateRatio)) {
      heldBack = callback;
      continue;
    }

    deliveries.push({ callback, kind: 'original' });
    if (chance(random, faults.resendRatio)) deliveries.push({ callback, kind: 'resend' });
    if (heldBack !== undefined) {
      deliveries.push({ callback: heldBack, kind: 'late' });
      heldBack = undefined;
    }
  }

  return deliveries;
}

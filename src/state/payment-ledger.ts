/**
 * Recent payments, remembered so that a resent payment callback announces no second charge.
 * Bounded by count (oldest forgotten first) and by age, like the task store's duplicate window.
 */
import { createHash } from 'node:crypto';
import type { Payment } from '../protocol/payment-schema.js';

/** Payments remembered at once: about 100 bytes each, so at most about 10 MB. */
export const MAX_REMEMBERED_PAYMENTS = 100_000;

export interface PaymentLedgerOptions {
  /** How long an exact copy of a payment counts as a resend, in milliseconds. */
  readonly duplicateWindowMs: number;
  /** Payments remembered at once. @default 100000 */
  readonly maxPayments?: number;
}

/** Fingerprints of recent payments with the time each was first seen. */
export class PaymentLedger {
  readonly #seenAtMs = new Map<string, number>();
  readonly #options: PaymentLedgerOptions;

  constructor(options: PaymentLedgerOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#seenAtMs.size;
  }

  /**
   * Records a payment received at `nowMs`; returns `false` when an exact copy was recorded
   * within the duplicate window.
   */
  record(payment: Payment, nowMs: number): boolean {
    this.#expire(nowMs);
    const fingerprint = createHash('sha1').update(JSON.stringify(payment)).digest('base64url');
    if (this.#seenAtMs.has(fingerprint)) return false;

    this.#seenAtMs.set(fingerprint, nowMs);
    const limit = this.#options.maxPayments ?? MAX_REMEMBERED_PAYMENTS;
    while (this.#seenAtMs.size > limit) {
      const oldest = this.#seenAtMs.keys().next().value as string;
      this.#seenAtMs.delete(oldest);
    }
    return true;
  }

  #expire(nowMs: number): void {
    for (const [fingerprint, seenAtMs] of this.#seenAtMs) {
      if (nowMs - seenAtMs <= this.#options.duplicateWindowMs) return;
      this.#seenAtMs.delete(fingerprint);
    }
  }
}

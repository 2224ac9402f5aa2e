/**
 * The frame and payment ingest pipelines: body text → canonical frame or payment → store →
 * event, shared by the HTTP routes, tests and benchmarks like acceptTaskCallback.
 */
import { draftFromFrameOutcome, draftFromPayment } from '../events/frame-draft.js';
import { readFrame } from '../protocol/frame-schema.js';
import { readPayment } from '../protocol/payment-schema.js';
import type { IngestDeps, IngestResult } from './accept-task.js';

/** The result of one frame callback. `outcome` adds `pending` and `dropped` to the task outcomes. */
export interface FrameIngestResult extends Omit<IngestResult, 'outcome'> {
  readonly outcome: 'created' | 'updated' | 'duplicate' | 'stale' | 'pending' | 'dropped';
  readonly frameIndex: number;
}

/**
 * Reads, applies and publishes one frame callback. A frame of a task that is not cached yet
 * is kept without an event.
 *
 * @throws RelayError when the body cannot be read as a frame; the store is then unchanged.
 */
export function acceptFrameCallback(
  deps: IngestDeps,
  text: string,
  nowMs: number,
): FrameIngestResult {
  const frame = readFrame(text);
  const outcome = deps.store.applyFrame(frame, nowMs);
  const base = { taskId: frame.renderTaskId, frameIndex: frame.frameIndex, outcome: outcome.kind };

  const draft = draftFromFrameOutcome(outcome);
  if (draft === null) {
    return outcome.kind === 'stale' ? { ...base, staleReason: outcome.reason } : base;
  }
  return { ...base, published: deps.log.publish(draft, nowMs) };
}

/** The result of one payment callback: a `charged` event, or a `duplicate` of a recent one. */
export interface PaymentIngestResult extends Omit<IngestResult, 'outcome'> {
  readonly outcome: 'charged' | 'duplicate';
}

/**
 * Reads and publishes one payment callback as a `task.charged` event, unless an exact copy
 * arrived within the duplicate window.
 *
 * @throws RelayError when the body cannot be read as a payment; nothing is then recorded.
 */
export function acceptPaymentCallback(
  deps: IngestDeps,
  text: string,
  nowMs: number,
): PaymentIngestResult {
  const payment = readPayment(text);
  const taskId = payment.renderTaskId;
  if (!deps.store.payments.record(payment, nowMs)) return { taskId, outcome: 'duplicate' };

  const draft = draftFromPayment(payment, deps.store.cache.get(taskId));
  return { taskId, outcome: 'charged', published: deps.log.publish(draft, nowMs) };
}

/**
 * The frames of one task, by frame index, with the same duplicate and staleness rules as tasks:
 * - an exact copy of the frame's latest state is a `duplicate`;
 * - an exact copy of one of its recent earlier states, or a state whose core-seconds, cost,
 *   light-cache cost or file count went down, is `stale` (a late copy of an older state).
 * Pure logic: time comes in as an argument.
 */
import { createHash } from 'node:crypto';
import type { Frame } from '../protocol/frame-schema.js';
import { rememberState, type SeenState, seenRecently } from './fingerprint.js';

/** Recent state fingerprints kept per frame. A frame changes a few times in its life. */
const RECENT_STATES_PER_FRAME = 4;

/** A frame with the relay's own bookkeeping. */
export interface CachedFrame {
  readonly frame: Frame;
  /** When the relay last accepted a change of this frame, Unix milliseconds. */
  readonly updatedAt: number;
  readonly recentStates: readonly SeenState[];
}

/** The outcome of one frame state. `dropped`: a new frame index while the table was full. */
export type FrameTableOutcome =
  | { readonly kind: 'created'; readonly after: CachedFrame }
  | { readonly kind: 'updated'; readonly before: CachedFrame; readonly after: CachedFrame }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'stale'; readonly reason: FrameStaleReason }
  | { readonly kind: 'dropped' };

/** The rule an incoming frame state broke, making it older than the kept one. */
export type FrameStaleReason =
  | 'earlier-state-resent'
  | 'render-time-regressed'
  | 'gross-regressed'
  | 'light-job-gross-regressed'
  | 'files-regressed';

/** Returns the fingerprint of a frame's state (SHA-1, base64url). */
export function fingerprintFrame(frame: Frame): string {
  return createHash('sha1').update(JSON.stringify(frame)).digest('base64url');
}

/** Returns why `incoming` is older than `current`, or `null` when it may follow it. */
export function frameStaleReason(current: Frame, incoming: Frame): FrameStaleReason | null {
  if (incoming.renderTimeThread < current.renderTimeThread) return 'render-time-regressed';
  if (incoming.gross < current.gross) return 'gross-regressed';
  if (incoming.lightJobGross < current.lightJobGross) return 'light-job-gross-regressed';
  if (incoming.files.length < current.files.length) return 'files-regressed';
  return null;
}

/** The bounded frame table of one task, in order of each frame's first arrival. */
export class FrameTable {
  readonly #frames = new Map<number, CachedFrame>();
  readonly #statusCounts = new Map<number, number>();
  readonly #capacity: number;
  readonly #duplicateWindowMs: number;

  /**
   * @param capacity frames kept; a new frame index beyond it is dropped
   * @param duplicateWindowMs how long an exact copy of an earlier state counts as a resend
   */
  constructor(capacity: number, duplicateWindowMs: number) {
    this.#capacity = capacity;
    this.#duplicateWindowMs = duplicateWindowMs;
  }

  get size(): number {
    return this.#frames.size;
  }

  get(frameIndex: number): CachedFrame | undefined {
    return this.#frames.get(frameIndex);
  }

  /** Iterates the frames in order of first arrival. */
  values(): IterableIterator<CachedFrame> {
    return this.#frames.values();
  }

  /** Applies a frame state received at `nowMs` (Unix milliseconds). */
  apply(frame: Frame, nowMs: number): FrameTableOutcome {
    const fingerprint = fingerprintFrame(frame);
    const before = this.#frames.get(frame.frameIndex);

    if (before === undefined) {
      if (this.#frames.size >= this.#capacity) return { kind: 'dropped' };

      const after = { frame, updatedAt: nowMs, recentStates: remember([], fingerprint, nowMs) };
      this.#store(after);
      return { kind: 'created', after };
    }

    if (before.recentStates.at(-1)?.fingerprint === fingerprint) return { kind: 'duplicate' };
    if (seenRecently(before.recentStates, fingerprint, nowMs, this.#duplicateWindowMs))
      return { kind: 'stale', reason: 'earlier-state-resent' };

    const reason = frameStaleReason(before.frame, frame);
    if (reason !== null) return { kind: 'stale', reason };

    const after = {
      frame,
      updatedAt: nowMs,
      recentStates: remember(before.recentStates, fingerprint, nowMs),
    };
    this.#countStatus(before.frame.status, -1);
    this.#store(after);
    return { kind: 'updated', before, after };
  }

  /** Removes the frame that arrived first; returns whether there was one. */
  dropOldest(): boolean {
    const oldest = this.#frames.values().next();
    if (oldest.done === true) return false;

    this.#frames.delete(oldest.value.frame.frameIndex);
    this.#countStatus(oldest.value.frame.status, -1);
    return true;
  }

  /** Returns the number of frames in each status, keyed by status code. */
  statusCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    const codes = [...this.#statusCounts.keys()].sort((a, b) => a - b);
    for (const code of codes) counts[String(code)] = this.#statusCounts.get(code) as number;
    return counts;
  }

  #store(entry: CachedFrame): void {
    this.#frames.set(entry.frame.frameIndex, entry);
    this.#countStatus(entry.frame.status, 1);
  }

  #countStatus(status: number, delta: number): void {
    const count = (this.#statusCounts.get(status) ?? 0) + delta;
    if (count === 0) this.#statusCounts.delete(status);
    else this.#statusCounts.set(status, count);
  }
}

function remember(ring: readonly SeenState[], fingerprint: string, nowMs: number): SeenState[] {
  return rememberState(ring, fingerprint, nowMs, RECENT_STATES_PER_FRAME);
}

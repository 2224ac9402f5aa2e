/**
 * State fingerprints: a short hash of a task's full canonical state. Two callbacks with the same
 * fields, in any key order, spelling or formatting, have the same fingerprint, because the
 * canonical task is built in a fixed field order.
 */
import { createHash } from 'node:crypto';
import type { Task } from '../protocol/task-schema.js';

/** Returns the fingerprint of a task's state (SHA-1, base64url, 27 characters). */
export function fingerprintTask(task: Task): string {
  return createHash('sha1').update(JSON.stringify(task)).digest('base64url');
}

/** A fingerprint with the time it was last seen, in Unix milliseconds. */
export interface SeenState {
  readonly fingerprint: string;
  readonly seenAtMs: number;
}

/**
 * Records a fingerprint in a task's recent-state ring (newest last), keeping at most `capacity`.
 * Returns a new array; the caller's array is not changed.
 */
export function rememberState(
  ring: readonly SeenState[],
  fingerprint: string,
  nowMs: number,
  capacity: number,
): SeenState[] {
  const kept = ring.filter((seen) => seen.fingerprint !== fingerprint);
  kept.push({ fingerprint, seenAtMs: nowMs });
  return kept.length > capacity ? kept.slice(kept.length - capacity) : kept;
}

/** Reports whether the ring contains `fingerprint` seen no earlier than `windowMs` ago. */
export function seenRecently(
  ring: readonly SeenState[],
  fingerprint: string,
  nowMs: number,
  windowMs: number,
): boolean {
  return ring.some((seen) => seen.fingerprint === fingerprint && nowMs - seen.seenAtMs <= windowMs);
}

/**
 * Deleted task ids, remembered so that late updates of a deleted task do not bring it back.
 * Bounded by count (oldest forgotten first) and by age.
 */

/** Why a tombstone was forgotten. */
export type TombstoneDropReason = 'count' | 'expired';

export interface TombstoneOptions {
  /** Deleted ids remembered at once. */
  readonly maxTombstones: number;
  /** How long a deletion is remembered, in milliseconds. */
  readonly ttlMs: number;
  readonly onDrop?: (reason: TombstoneDropReason) => void;
}

/** The set of recently deleted task ids, in deletion order. */
export class Tombstones {
  readonly #deletedAtMs = new Map<number, number>();
  readonly #options: TombstoneOptions;

  constructor(options: TombstoneOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#deletedAtMs.size;
  }

  /** Remembers that `id` was deleted at `nowMs`. */
  add(id: number, nowMs: number): void {
    this.#deletedAtMs.delete(id);
    this.#deletedAtMs.set(id, nowMs);

    while (this.#deletedAtMs.size > this.#options.maxTombstones) {
      const oldest = this.#deletedAtMs.keys().next().value as number;
      this.#deletedAtMs.delete(oldest);
      this.#options.onDrop?.('count');
    }
  }

  /** Reports whether `id` was deleted within the remembered time. */
  has(id: number, nowMs: number): boolean {
    const deletedAtMs = this.#deletedAtMs.get(id);
    return deletedAtMs !== undefined && nowMs - deletedAtMs <= this.#options.ttlMs;
  }

  /** Forgets deletions older than the time limit. */
  expire(nowMs: number): void {
    for (const [id, deletedAtMs] of this.#deletedAtMs) {
      if (nowMs - deletedAtMs <= this.#options.ttlMs) return;
      this.#deletedAtMs.delete(id);
      this.#options.onDrop?.('expired');
    }
  }
}

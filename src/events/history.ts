/**
 * The bounded event history that lets a client resume after a disconnect. Events are kept with
 * their encoded frame, so a replay sends the same bytes as the live delivery did.
 */
import type { PublishedEvent } from './event-log.js';

export interface HistoryOptions {
  /** Events kept at once. @default 10000 */
  readonly maxEvents: number;
  /** Encoded bytes kept at once. @default 67108864 (64 MiB) */
  readonly maxBytes: number;
  readonly onDrop?: (reason: 'count' | 'bytes') => void;
}

/** A ring of the newest events in sequence order. */
export class EventHistory {
  readonly #events: PublishedEvent[] = [];
  readonly #options: HistoryOptions;
  // Index of the oldest kept event in #events; the array is compacted when half of it is dropped.
  #head = 0;
  #bytes = 0;

  constructor(options: HistoryOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#events.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Sequence number of the oldest kept event, or `undefined` when empty. */
  get oldestSeq(): number | undefined {
    return this.#events[this.#head]?.event.seq;
  }

  append(published: PublishedEvent): void {
    this.#events.push(published);
    this.#bytes += published.frame.length;

    while (
      this.size > this.#options.maxEvents ||
      (this.#bytes > this.#options.maxBytes && this.size > 1)
    ) {
      this.#options.onDrop?.(this.size > this.#options.maxEvents ? 'count' : 'bytes');
      this.#dropOldest();
    }
  }

  /**
   * Returns the events after `seq`, oldest first, or `null` when some of them were already
   * dropped, so the caller must fall back to a snapshot.
   */
  after(seq: number): PublishedEvent[] | null {
    const oldest = this.oldestSeq;
    if (oldest === undefined) return [];
    if (seq < oldest - 1) return null;

    return this.#events.slice(this.#head + Math.max(0, seq - oldest + 1));
  }

  #dropOldest(): void {
    const dropped = this.#events[this.#head];
    if (dropped === undefined) return;

    this.#events[this.#head] = undefined as unknown as PublishedEvent;
    this.#head += 1;
    this.#bytes -= dropped.frame.length;

    if (this.#head > 1024 && this.#head * 2 > this.#events.length) {
      this.#events.splice(0, this.#head);
      this.#head = 0;
    }
  }
}

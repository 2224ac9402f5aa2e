/**
 * The event log: numbers events, keeps the bounded history and hands each event to listeners.
 *
 * This interface is the seam for running several relays: a broker-backed log that shares one
 * sequence and history can replace the in-process one without changing ingest or fan-out.
 */
import { nanoid } from 'nanoid';
import type { EventDraft, RelayEvent } from './event.js';
import { EventHistory, type HistoryOptions } from './history.js';

/** An event with its encoded JSON frame, serialised once for every subscriber and every replay. */
export interface PublishedEvent {
  readonly event: RelayEvent;
  readonly frame: Buffer;
}

/** A client's stream position: the epoch and the last `seq` it received. */
export interface StreamPosition {
  readonly epoch: string;
  readonly seq: number;
}

export interface EventLog {
  /** Random id of this log's lifetime; a new epoch means the history before it is gone. */
  readonly epoch: string;
  /** Sequence number of the last published event, 0 before the first. */
  readonly seq: number;
  /** Numbers, records and delivers an event; returns it as published. */
  publish(draft: EventDraft, atMs: number): PublishedEvent;
  /**
   * Returns the events after `since`, or `null` when the history no longer reaches back that
   * far or `since` belongs to another epoch.
   */
  replay(since: StreamPosition): PublishedEvent[] | null;
  /** Registers a listener for every published event; returns the function that removes it. */
  listen(listener: (published: PublishedEvent) => void): () => void;
}

/** The single-process event log. */
export class InMemoryEventLog implements EventLog {
  readonly epoch = nanoid(12);
  readonly history: EventHistory;
  readonly #listeners = new Set<(published: PublishedEvent) => void>();
  #seq = 0;

  constructor(options: HistoryOptions) {
    this.history = new EventHistory(options);
  }

  get seq(): number {
    return this.#seq;
  }

  publish(draft: EventDraft, atMs: number): PublishedEvent {
    this.#seq += 1;
    const { type, ...fields } = draft;
    // Rebuilt from a union's parts, so TypeScript cannot see the pairing of `type` and fields.
    const event = { type, seq: this.#seq, epoch: this.epoch, at: atMs, ...fields } as RelayEvent;
    const published: PublishedEvent = { event, frame: Buffer.from(JSON.stringify(event)) };

    this.history.append(published);
    for (const listener of this.#listeners) listener(published);
    return published;
  }

  replay(since: StreamPosition): PublishedEvent[] | null {
    if (since.epoch !== this.epoch) return null;
    if (since.seq > this.#seq || since.seq < 0) return null;
    if (since.seq === this.#seq) return [];

    return this.history.after(since.seq);
  }

  listen(listener: (published: PublishedEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

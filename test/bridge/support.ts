/**
 * Test doubles for the bridge: a fake clock, an in-process event source, events, and a
 * captured logger.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Clock, TimerHandle } from '../../src/bridge/clock.js';
import type { RelayEventSource, TaskFields } from '../../src/bridge/source.js';
import type { RelayEvent } from '../../src/events/event.js';
import type { Logger } from '../../src/observability/log.js';
import { statusName } from '../../src/protocol/status.js';

/** A clock that moves only in `advance`. Timers run in time order. */
export class FakeClock implements Clock {
  #now: number;
  #timers: { at: number; order: number; callback: () => void; cancelled: boolean }[] = [];
  #order = 0;

  constructor(start = 1_733_300_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, ms: number): TimerHandle {
    const timer = {
      at: this.#now + Math.max(0, ms),
      order: this.#order++,
      callback,
      cancelled: false,
    };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Moves time forward by `ms`, running due timers and letting promises settle after each. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      await settle();
      this.#timers = this.#timers.filter((timer) => !timer.cancelled);
      this.#timers.sort((a, b) => a.at - b.at || a.order - b.order);
      const next = this.#timers[0];
      if (next === undefined || next.at > end) break;
      this.#timers.shift();
      this.#now = Math.max(this.#now, next.at);
      next.callback();
    }
    this.#now = end;
    await settle();
  }
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** An event source the test drives by hand. */
export class FakeSource implements RelayEventSource {
  readonly tasks = new Map<number, TaskFields>();
  started = false;
  closed = false;
  readonly #events: ((event: RelayEvent) => void)[] = [];

  on(name: 'event' | 'state', listener: (value: never) => void): this {
    if (name === 'event') this.#events.push(listener as (event: RelayEvent) => void);
    return this;
  }

  start(): void {
    this.started = true;
  }

  close(): void {
    this.closed = true;
  }

  emit(event: RelayEvent): void {
    for (const listener of this.#events) listener(event);
  }
}

/** Builds a status-change event of task `id` with sequence number `seq`. */
export function statusEvent(
  seq: number,
  fields: {
    id?: number;
    name?: string;
    ownerName?: string;
    owner?: number;
    agencyUserId?: number;
    status?: number;
    previous?: number;
    epoch?: string;
    changes?: Record<string, unknown>;
  } = {},
): RelayEvent {
  const status = fields.status ?? 2;
  return {
    type: 'task.updated',
    seq,
    epoch: fields.epoch ?? 'e1',
    at: 1_733_300_000_000,
    task: {
      id: fields.id ?? 67721,
      name: fields.name ?? 'box',
      owner: fields.owner ?? 1601,
      ownerName: fields.ownerName ?? 'u1',
      agencyUserId: fields.agencyUserId ?? 3,
      status,
      statusName: statusName(status),
    },
    changes: { status, ...fields.changes },
    previous: { status: fields.previous ?? 1 },
    outputFilesAdded: [],
  };
}

/** Creates a logger whose output the test can read, as raw text and as records. */
export function captureLogger(): { logger: Logger; text: () => string; records: () => LogLine[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((line) => line !== ''),
      );
      done();
    },
  });
  return {
    logger: pino({ level: 'debug' }, sink),
    text: () => lines.join('\n'),
    records: () => lines.map((line) => JSON.parse(line) as LogLine),
  };
}

export type LogLine = Record<string, unknown> & { level: number; msg: string };

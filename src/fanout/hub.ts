/**
 * The hub: every subscriber connection, its subscriptions, and the delivery of each event to
 * the connections that match it.
 *
 * Delivery rules:
 * - each event is encoded once by the event log; the hub sends those bytes unchanged;
 * - a connection receives each event at most once, however many of its subscriptions match;
 * - subscribing is synchronous, so no event can fall between a snapshot (or replay) and the
 *   live stream that follows it;
 * - a connection whose send buffer passes its limit is closed as a slow consumer, instead of
 *   letting its backlog grow in the relay's memory.
 */
import { assertWithinScope, FULL_SCOPE, type Scope } from '../access/scope.js';
import { CloseCode, RelayError } from '../errors.js';
import type { RelayEvent } from '../events/event.js';
import type { EventLog, PublishedEvent, StreamPosition } from '../events/event-log.js';
import { type TaskView, toTaskView } from '../events/task-view.js';
import type { Logger } from '../observability/log.js';
import type { RelayMetrics } from '../observability/metrics.js';
import type { TaskStore } from '../state/task-store.js';
import { matchesEvent, matchesTask, type SubscriptionFilter } from './filter.js';
import { SubscriptionIndex } from './subscription-index.js';

type BoundCounter = { inc(value?: number): void };

/** The hub's view of one transport connection: a WebSocket or a Server-Sent Events stream. */
export interface Peer {
  readonly transport: 'ws' | 'sse';
  /** Bytes queued for the peer and not yet written to the socket. */
  readonly bufferedAmount: number;
  /**
   * Sends one frame. `event` is set when `frame` is that event's published JSON, so a transport
   * that frames events itself (SSE adds `id:` and `event:` lines) need not parse the bytes.
   */
  send(frame: Buffer, event?: RelayEvent): void;
  close(code: number, reason: string): void;
}

/** One subscriber connection and its subscriptions. */
export class Session {
  readonly id: string;
  readonly peer: Peer;
  readonly subscriptions = new Map<string, Subscription>();
  closed = false;
  /**
   * `seq` up to which the client's state is current: the last event sent, or the position of the
   * last snapshot or replay. A second matching subscription does not send an event again, and a
   * replay never sends anything older.
   */
  lastDeliveredSeq = 0;
  /** Extra buffer allowance while a large snapshot drains, in bytes. */
  snapshotAllowanceBytes = 0;

  /** The scope of this connection's token. */
  readonly scope: Scope;

  constructor(id: string, peer: Peer, scope: Scope) {
    this.id = id;
    this.peer = peer;
    this.scope = scope;
  }
}

/** One subscription of a session. */
export interface Subscription {
  readonly id: string;
  readonly session: Session;
  readonly filter: SubscriptionFilter;
  /** Events after this `seq` reached the session through this subscription (live or replayed). */
  readonly coveredAfterSeq: number;
}

export interface SubscribeRequest {
  readonly id: string;
  readonly filter: SubscriptionFilter;
  readonly since?: StreamPosition;
}

/** The starting point of a new subscription: a snapshot, or the events it missed. */
export interface SubscribeResult {
  readonly epoch: string;
  /** `seq` of the last event included in the snapshot or the replay. */
  readonly seq: number;
  readonly recovered: boolean;
  /** The snapshot, when not recovered. */
  readonly tasks: TaskView[];
  /** Whether the snapshot was cut at `maxSnapshotTasks`. */
  readonly truncated: boolean;
  /** Missed events to send after the `subscribed` frame, when recovered. */
  readonly replay: PublishedEvent[];
}

export interface HubOptions {
  readonly store: TaskStore;
  readonly log: EventLog;
  readonly metrics: RelayMetrics;
  readonly logger: Logger;
  /** Bytes a peer may have queued before it is closed as a slow consumer. @default 4194304 (4 MiB) */
  readonly maxBufferedBytes: number;
  /** Subscriptions one connection may hold. @default 32 */
  readonly maxSubscriptionsPerConnection: number;
  /** Tasks in one snapshot, most recently updated first. @default 10000 */
  readonly maxSnapshotTasks: number;
  readonly onLimit: (limit: string, fields: Record<string, unknown>) => void;
}

/** Subscriptions, matching and delivery for every transport. */
export class Hub {
  readonly #options: HubOptions;
  readonly #sessions = new Set<Session>();
  readonly #index = new SubscriptionIndex<Subscription>();
  readonly #unlisten: () => void;

  // Label lookups cost a hash per call, so the per-send counters are bound once per transport.
  readonly #sentCounters: Record<Peer['transport'], { frames: BoundCounter; bytes: BoundCounter }>;

  constructor(options: HubOptions) {
    this.#options = options;
    const bind = (transport: Peer['transport']) => ({
      frames: options.metrics.framesSent.labels({ transport }),
      bytes: options.metrics.bytesSent.labels({ transport }),
    });
    this.#sentCounters = { ws: bind('ws'), sse: bind('sse') };
    this.#unlisten = options.log.listen((published) => this.deliver(published));
  }

  get connections(): number {
    return this.#sessions.size;
  }

  get subscriptions(): number {
    return this.#index.size;
  }

  /** Registers a connection; every subscription it makes is limited to `scope`. */
  attach(id: string, peer: Peer, scope: Scope = FULL_SCOPE): Session {
    const session = new Session(id, peer, scope);
    this.#sessions.add(session);
    return session;
  }

  /** Removes a session and all its subscriptions. Safe to call more than once. */
  detach(session: Session): void {
    session.closed = true;
    for (const subscription of session.subscriptions.values()) this.#index.remove(subscription);
    session.subscriptions.clear();
    this.#sessions.delete(session);
  }

  /**
   * Adds a subscription and returns where it starts. Recovery replays the missed events that
   * match and that no other subscription of the session already delivered.
   *
   * @throws RelayError for a duplicate id, too many subscriptions, or a filter outside the
   * session's scope (`RS_ERR_FORBIDDEN`, and nothing is subscribed).
   */
  subscribe(session: Session, request: SubscribeRequest): SubscribeResult {
    if (session.subscriptions.has(request.id)) {
      throw new RelayError('RS_ERR_SUBSCRIPTION_DUPLICATE', { id: request.id });
    }
    if (session.subscriptions.size >= this.#options.maxSubscriptionsPerConnection) {
      this.#options.onLimit('subscriptions_per_connection', { sessionId: session.id });
      throw new RelayError('RS_ERR_SUBSCRIPTION_LIMIT', {
        limit: this.#options.maxSubscriptionsPerConnection,
        id: request.id,
      });
    }

    assertWithinScope(session.scope, request.filter);
    const filter = session.scope.admin
      ? request.filter
      : { ...request.filter, scope: session.scope };

    const log = this.#options.log;
    const missed = request.since === undefined ? null : log.replay(request.since);
    const recovery = missed === null ? null : this.#recovery(session, filter, missed);
    const result = recovery ?? this.#snapshot(filter);

    const coveredAfterSeq =
      result.recovered && request.since !== undefined ? request.since.seq : log.seq;
    const subscription: Subscription = {
      id: request.id,
      session,
      filter,
      coveredAfterSeq,
    };
    session.subscriptions.set(request.id, subscription);
    this.#index.add(subscription);

    // The snapshot or the replay brings the client up to `result.seq`, so nothing older may follow.
    session.lastDeliveredSeq = Math.max(session.lastDeliveredSeq, result.seq);
    return result;
  }

  /** @throws RelayError when the session has no such subscription. */
  unsubscribe(session: Session, id: string): void {
    const subscription = session.subscriptions.get(id);
    if (subscription === undefined) throw new RelayError('RS_ERR_SUBSCRIPTION_NOT_FOUND', { id });

    session.subscriptions.delete(id);
    this.#index.remove(subscription);
  }

  /** Sends one event to every session with a matching subscription. */
  deliver(published: PublishedEvent): void {
    const { event, frame } = published;

    for (const subscription of this.#index.candidates(event)) {
      const session = subscription.session;
      if (session.closed || session.lastDeliveredSeq >= event.seq) continue;
      if (!matchesEvent(subscription.filter, event)) continue;

      session.lastDeliveredSeq = event.seq;
      this.send(session, frame, event);
    }
  }

  /**
   * Sends a frame unless the session is closed; closes the session as a slow consumer when its
   * send buffer would pass the limit. Returns whether the frame was sent. Pass `event` when
   * `frame` is a published event's JSON (see `Peer.send`).
   */
  send(session: Session, frame: Buffer, event?: RelayEvent): boolean {
    if (session.closed) return false;

    const peer = session.peer;
    const buffered = peer.bufferedAmount;
    if (buffered <= this.#options.maxBufferedBytes) session.snapshotAllowanceBytes = 0;

    if (buffered + frame.length > this.#options.maxBufferedBytes + session.snapshotAllowanceBytes) {
      this.#closeSlowConsumer(session, buffered);
      return false;
    }

    peer.send(frame, event);
    // A peer that finds its transport already gone detaches the session instead of writing.
    if (session.closed) return false;

    const counters = this.#sentCounters[peer.transport];
    counters.frames.inc();
    counters.bytes.inc(frame.length);
    return true;
  }

  /**
   * Sends a snapshot-sized frame that may pass the buffer limit once: the limit then applies
   * only after this frame has drained, so a large first snapshot is not mistaken for a slow reader.
   */
  sendLarge(session: Session, frame: Buffer): boolean {
    session.snapshotAllowanceBytes = frame.length;
    return this.send(session, frame);
  }

  /** Closes every session with `code` and stops listening to the event log. */
  close(code: number, reason: string): void {
    this.#unlisten();
    for (const session of [...this.#sessions]) {
      session.peer.close(code, reason);
      this.detach(session);
    }
  }

  #snapshot(filter: SubscriptionFilter): SubscribeResult {
    const matching: TaskView[] = [];
    for (const entry of this.#options.store.cache.values()) {
      if (!matchesTask(filter, entry.task)) continue;
      matching.push(toTaskView(entry, false, this.#options.store.frames.table(entry.task.id)));
    }

    // The cache iterates least recently updated first; the snapshot keeps the newest.
    matching.reverse();
    const truncated = matching.length > this.#options.maxSnapshotTasks;
    if (truncated) {
      this.#options.onLimit('snapshot_tasks', { matching: matching.length });
      matching.length = this.#options.maxSnapshotTasks;
    }

    const log = this.#options.log;
    return {
      epoch: log.epoch,
      seq: log.seq,
      recovered: false,
      tasks: matching,
      truncated,
      replay: [],
    };
  }

  /**
   * Builds the replay of missed events, or returns `null` when it would not fit in the send
   * buffer: a replay that closes the client as a slow consumer would make it resume from the
   * same place forever, while a snapshot contains each task once, however many events it missed.
   */
  #recovery(
    session: Session,
    filter: SubscriptionFilter,
    missed: PublishedEvent[],
  ): SubscribeResult | null {
    const others = [...session.subscriptions.values()];
    const replay = missed.filter(({ event }) => {
      if (!matchesEvent(filter, event)) return false;
      return !others.some(
        (other) => other.coveredAfterSeq < event.seq && matchesEvent(other.filter, event),
      );
    });

    // A connection that already has newer state (from another subscription) would apply
    // these older diffs on top of it, so it gets a snapshot instead.
    const oldest = replay[0];
    if (oldest !== undefined && oldest.event.seq <= session.lastDeliveredSeq) return null;

    const replayBytes = replay.reduce((total, published) => total + published.frame.length, 0);
    if (replayBytes > this.#options.maxBufferedBytes) {
      this.#options.onLimit('replay_bytes', { sessionId: session.id, replayBytes });
      return null;
    }

    const log = this.#options.log;
    return { epoch: log.epoch, seq: log.seq, recovered: true, tasks: [], truncated: false, replay };
  }

  #closeSlowConsumer(session: Session, bufferedBytes: number): void {
    const transport = session.peer.transport;
    this.#options.metrics.slowConsumersClosed.inc({ transport });
    this.#options.onLimit('send_buffer', { sessionId: session.id, bufferedBytes });
    this.#options.logger.warn(
      { sessionId: session.id, transport, bufferedBytes },
      'slow consumer closed',
    );

    session.peer.close(
      CloseCode.SLOW_CONSUMER,
      'slow consumer: send buffer full, reconnect and resume',
    );
    this.detach(session);
  }
}

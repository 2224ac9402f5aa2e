/**
 * The relay's Prometheus metrics, on a registry of its own so that several relays in one
 * process (tests, benchmarks) keep separate counts.
 */
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** The metric objects the relay updates; gauges of sizes are read when scraped. */
export interface RelayMetrics {
  readonly registry: Registry;
  readonly callbacks: Counter<'route' | 'outcome'>;
  readonly rejections: Counter<'code'>;
  readonly eventsPublished: Counter<'type'>;
  readonly limitHits: Counter<'limit'>;
  readonly cacheEvictions: Counter<'reason'>;
  readonly tombstoneDrops: Counter<'reason'>;
  readonly historyDrops: Counter<'reason'>;
  readonly extraKeysDropped: Counter;
  readonly framesSent: Counter<'transport'>;
  readonly bytesSent: Counter<'transport'>;
  readonly slowConsumersClosed: Counter<'transport'>;
  readonly heartbeatTimeouts: Counter;
  readonly invalidFrames: Counter<'code'>;
  readonly connectionsRejected: Counter<'reason'>;
  readonly accessDenied: Counter<'code'>;
  readonly upstreamRequests: Counter<'outcome'>;
}

/** Sizes read at scrape time. */
export interface SizeProbes {
  cacheTasks(): number;
  cacheBytes(): number;
  tombstones(): number;
  historyEvents(): number;
  historyBytes(): number;
  connections(): number;
  subscriptions(): number;
  /** Frames kept for cached tasks. @default 0 */
  frames?(): number;
  /** Frames waiting for their task. @default 0 */
  pendingFrames?(): number;
}

/** Creates the metrics on a fresh registry, with Node's default process metrics. */
export function createMetrics(probes: SizeProbes): RelayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  };

  gauge('relay_cache_tasks', 'Tasks in the cache.', probes.cacheTasks);
  gauge('relay_cache_bytes', 'Estimated bytes held by the task cache.', probes.cacheBytes);
  gauge('relay_tombstones', 'Deleted task ids remembered.', probes.tombstones);
  gauge('relay_history_events', 'Events kept in the resume history.', probes.historyEvents);
  gauge('relay_history_bytes', 'Encoded bytes kept in the resume history.', probes.historyBytes);
  gauge('relay_connections', 'Open subscriber connections.', probes.connections);
  gauge('relay_subscriptions', 'Active subscriptions.', probes.subscriptions);
  gauge('relay_frames', 'Frames kept for cached tasks.', () => probes.frames?.() ?? 0);
  gauge(
    'relay_pending_frames',
    'Frames waiting for their task.',
    () => probes.pendingFrames?.() ?? 0,
  );

  const counter = <L extends string>(
    name: string,
    help: string,
    labelNames: L[] = [],
  ): Counter<L> => new Counter({ name, help, labelNames, registers: [registry] });

  return {
    registry,
    callbacks: counter('relay_callbacks_total', 'Callbacks received, by route and outcome.', [
      'route',
      'outcome',
    ]),
    rejections: counter('relay_callback_rejections_total', 'Callbacks rejected, by error code.', [
      'code',
    ]),
    eventsPublished: counter('relay_events_published_total', 'Events published, by type.', [
      'type',
    ]),
    limitHits: counter(
      'relay_limit_hits_total',
      'Times a configured limit was reached, by limit.',
      ['limit'],
    ),
    cacheEvictions: counter(
      'relay_cache_evictions_total',
      'Tasks evicted from the cache, by reason (count, bytes, expired).',
      ['reason'],
    ),
    tombstoneDrops: counter(
      'relay_tombstone_drops_total',
      'Deleted ids forgotten, by reason (count, expired).',
      ['reason'],
    ),
    historyDrops: counter(
      'relay_history_drops_total',
      'Events dropped from the resume history, by limit (count, bytes).',
      ['reason'],
    ),
    extraKeysDropped: counter(
      'relay_extra_keys_dropped_total',
      'Unknown callback keys not kept because of limits.',
    ),
    framesSent: counter('relay_frames_sent_total', 'Frames sent to subscribers.', ['transport']),
    bytesSent: counter('relay_bytes_sent_total', 'Bytes sent to subscribers.', ['transport']),
    slowConsumersClosed: counter(
      'relay_slow_consumers_closed_total',
      'Subscribers closed for a full send buffer.',
      ['transport'],
    ),
    heartbeatTimeouts: counter(
      'relay_heartbeat_timeouts_total',
      'Connections dropped for not answering pings.',
    ),
    invalidFrames: counter('relay_invalid_frames_total', 'Invalid client frames, by error code.', [
      'code',
    ]),
    accessDenied: counter(
      'relay_access_denied_total',
      'Reads and upgrades refused by access checks, by error code.',
      ['code'],
    ),
    upstreamRequests: counter(
      'relay_upstream_requests_total',
      "Callbacks forwarded to the dealer's backend, by outcome (ok, backend_error, timeout, failed).",
      ['outcome'],
    ),
    connectionsRejected: counter(
      'relay_connections_rejected_total',
      'Connections rejected, by reason.',
      ['reason'],
    ),
  };
}

/**
 * Assembles a relay from its configuration: the one place where protocol, state, events,
 * fan-out and transports are wired together, so the CLI, tests and benchmarks start the same thing.
 */

import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { createAccessChecks } from './access/access.js';
import { type RelayConfig, redactConfig } from './config.js';
import { CloseCode } from './errors.js';
import { InMemoryEventLog } from './events/event-log.js';
import { Hub } from './fanout/hub.js';
import { createApp } from './http/app.js';
import { mountCallbackRoutes } from './http/callbacks.js';
import { answerClientError } from './http/client-error.js';
import { mountDashboard } from './http/dashboard.js';
import type { RelayApp } from './http/env.js';
import { mountHealthRoutes } from './http/health.js';
import { mountTaskRoutes } from './http/tasks.js';
import { createUpstreamAgent } from './http/upstream.js';
import { createLogger, type Logger } from './observability/log.js';
import { createMetrics, type RelayMetrics } from './observability/metrics.js';
import { ThrottledLog } from './observability/throttled-log.js';
import { SseEndpoint } from './sse/endpoint.js';
import { TaskStore } from './state/task-store.js';
import { WsEndpoint } from './ws/endpoint.js';

/** Lifecycle of a relay; only moves forward. */
export type RelayState = 'created' | 'running' | 'closing' | 'closed';

/** How long sockets get to finish the close handshake during shutdown before they are cut. */
const SOCKET_CLOSE_GRACE_MS = 2000;

/** Rejected callbacks logged per error code and minute before the rest are summarised. */
const REJECTIONS_LOGGED_PER_INTERVAL = 10;

export interface RelayOptions {
  /** @default a pino logger on stdout */
  readonly logger?: Logger;
}

/** A relay with its parts exposed for tests and tools. */
export interface Relay {
  readonly config: RelayConfig;
  readonly app: RelayApp;
  readonly store: TaskStore;
  readonly events: InMemoryEventLog;
  readonly hub: Hub;
  readonly ws: WsEndpoint;
  readonly sse: SseEndpoint;
  readonly metrics: RelayMetrics;
  readonly logger: Logger;
  readonly state: RelayState;
  /** Starts listening; resolves with the base URL, e.g. `http://127.0.0.1:8080`. */
  listen(): Promise<string>;
  /**
   * Shuts down: refuses new callbacks (503), waits for those in flight up to
   * `shutdownTimeoutMs`, closes sockets with 1001 and ends event streams, then stops the
   * server. Safe to call twice.
   */
  close(): Promise<void>;
}

/**
 * Creates a relay. Nothing listens until `listen()`.
 *
 * @example
 * const relay = createRelay(resolveConfig(process.env));
 * const url = await relay.listen();
 */
export function createRelay(config: RelayConfig, options: RelayOptions = {}): Relay {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const sweepMs = config.sweepIntervalMs;
  const limitLog = new ThrottledLog({
    logger,
    level: 'warn',
    linesPerInterval: 1,
    intervalMs: sweepMs,
  });
  const rejectionLog = new ThrottledLog({
    logger,
    level: 'info',
    linesPerInterval: REJECTIONS_LOGGED_PER_INTERVAL,
    intervalMs: sweepMs,
  });
  const upstreamAgent = createUpstreamAgent(config.upstreamUrl);
  const upstreamLog = new ThrottledLog({
    logger,
    level: 'warn',
    linesPerInterval: REJECTIONS_LOGGED_PER_INTERVAL,
    intervalMs: sweepMs,
  });

  // The metrics read sizes lazily, so they can be created before the parts they measure.
  const parts: { hub?: Hub; ws?: WsEndpoint } = {};
  const metrics: RelayMetrics = createMetrics({
    cacheTasks: () => store.cache.size,
    cacheBytes: () => store.cache.bytes,
    tombstones: () => store.tombstones.size,
    historyEvents: () => events.history.size,
    historyBytes: () => events.history.bytes,
    connections: () => parts.hub?.connections ?? 0,
    subscriptions: () => parts.hub?.subscriptions ?? 0,
    frames: () => store.frames.attachedFrames,
    pendingFrames: () => store.frames.pendingFrames,
  });

  const onLimit = (limit: string, fields: Record<string, unknown>): void => {
    metrics.limitHits.inc({ limit });
    limitLog.write(limit, { limit, ...fields }, 'limit reached');
  };

  const store = new TaskStore({
    maxTasks: config.maxTasks,
    maxBytes: config.maxCacheBytes,
    retentionMs: config.retentionMs,
    duplicateWindowMs: config.duplicateWindowMs,
    recentStatesPerTask: 8,
    maxTombstones: config.maxTombstones,
    maxFramesPerTask: config.maxFramesPerTask,
    maxPendingFrames: config.maxPendingFrames,
    onFrameLimit: (limit, taskId) => onLimit(limit, { taskId }),
    onEvict: (reason) => {
      metrics.cacheEvictions.inc({ reason });
      if (reason !== 'expired')
        onLimit(`cache_${reason === 'count' ? 'tasks' : 'bytes'}`, { reason });
    },
    onTombstoneDrop: (reason) => {
      metrics.tombstoneDrops.inc({ reason });
      if (reason === 'count') onLimit('tombstones', {});
    },
  });

  const events = new InMemoryEventLog({
    maxEvents: config.maxHistoryEvents,
    maxBytes: config.maxHistoryBytes,
    onDrop: (reason) => metrics.historyDrops.inc({ reason }),
  });
  events.listen(({ event }) => metrics.eventsPublished.inc({ type: event.type }));

  const hub = new Hub({
    store,
    log: events,
    metrics,
    logger,
    maxBufferedBytes: config.maxBufferedBytes,
    maxSubscriptionsPerConnection: config.maxSubscriptionsPerConnection,
    maxSnapshotTasks: config.maxSnapshotTasks,
    onLimit,
  });
  parts.hub = hub;

  const ws = new WsEndpoint({
    hub,
    log: events,
    logger,
    metrics,
    maxPayloadBytes: config.maxPayloadBytes,
    maxConnections: config.maxConnections,
    openConnections: () => openConnections(),
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    maxInvalidFrames: config.maxInvalidFrames,
    onLimit,
  });
  parts.ws = ws;

  let state: RelayState = 'created';
  const sse = new SseEndpoint({
    hub,
    logger,
    metrics,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    maxConnections: config.maxConnections,
    openConnections: () => openConnections(),
    accepting: () => state === 'running',
    onLimit,
  });
  // WebSockets and event streams share one connection limit.
  const openConnections = (): number => ws.openSockets + sse.openStreams;

  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    const forget = (): void => {
      inFlight.delete(work);
    };
    work.then(forget, forget);
    return work;
  };

  const deniedLog = new ThrottledLog({
    logger,
    level: 'info',
    linesPerInterval: REJECTIONS_LOGGED_PER_INTERVAL,
    intervalMs: sweepMs,
  });
  const access = createAccessChecks(config, (error) => {
    metrics.accessDenied.inc({ code: error.code });
    deniedLog.write(error.code, { code: error.code, status: error.status }, 'access denied');
  });

  const app = createApp(logger);
  mountHealthRoutes(app, { metrics, ready: () => state === 'running' });
  mountCallbackRoutes(app, {
    guard: access.ingest,
    store,
    log: events,
    logger,
    metrics,
    rejectionLog,
    upstreamLog,
    maxBodyBytes: config.maxBodyBytes,
    upstream:
      config.upstreamUrl === ''
        ? undefined
        : {
            url: config.upstreamUrl,
            timeoutMs: config.upstreamTimeoutMs,
            maxReplyBytes: config.maxBodyBytes,
            agent: upstreamAgent,
          },
    accepting: () => state === 'running',
    track,
    onExtraKeysDropped: (count) => {
      metrics.extraKeysDropped.inc(count);
      onLimit('extra_keys', { dropped: count });
    },
  });
  mountTaskRoutes(app, { store, log: events, auth: access.auth });
  ws.mount(app, access.upgrade, access.auth);
  sse.mount(app, access.upgrade, access.auth);
  mountDashboard(app);

  const server = createAdaptorServer({
    fetch: app.fetch,
    websocket: { server: ws.server },
  }) as Server;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) =>
    answerClientError(error, socket),
  );
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const sweep = setInterval(() => store.expire(Date.now()), sweepMs);
  sweep.unref();

  const relay: Relay = {
    config,
    app,
    store,
    events,
    hub,
    ws,
    sse,
    metrics,
    logger,
    get state() {
      return state;
    },

    async listen() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      state = 'running';

      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      const url = `http://${host}:${address.port}`;
      const mode = config.jwtSecret === '' ? 'anonymous' : 'tokens';
      logger.info(
        { url, mode, epoch: events.epoch, config: redactConfig(config) },
        'relay listening',
      );
      if (config.jwtSecret === '') {
        logger.warn(
          { host: config.host },
          'anonymous mode: every client may read every task; set RELAY_JWT_SECRET to require tokens',
        );
      }
      return url;
    },

    async close() {
      if (state === 'closing' || state === 'closed') return;
      const wasRunning = state === 'running';
      state = 'closing';
      logger.info({ inFlight: inFlight.size, connections: hub.connections }, 'relay shutting down');

      clearInterval(sweep);
      const stopped = wasRunning
        ? new Promise<void>((resolve) => server.close(() => resolve()))
        : Promise.resolve();

      await settleWithin([...inFlight], config.shutdownTimeoutMs);
      ws.close(CloseCode.GOING_AWAY, 'server shutting down');
      sse.close(CloseCode.GOING_AWAY, 'server shutting down');
      hub.close(CloseCode.GOING_AWAY, 'server shutting down');
      await waitUntil(() => ws.openSockets === 0, SOCKET_CLOSE_GRACE_MS);
      ws.terminate();

      // Responses still being written finish first; idle keep-alive connections close now.
      await waitUntil(() => {
        server.closeIdleConnections();
        return sockets.size === 0;
      }, SOCKET_CLOSE_GRACE_MS);
      for (const socket of sockets) socket.destroy();
      await stopped;

      limitLog.close();
      rejectionLog.close();
      upstreamLog.close();
      upstreamAgent.destroy();
      deniedLog.close();
      state = 'closed';
      logger.info('relay stopped');
    },
  };

  return relay;
}

async function settleWithin(work: Promise<unknown>[], timeoutMs: number): Promise<void> {
  if (work.length === 0) return;

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([Promise.allSettled(work), timeout]);
  clearTimeout(timer);
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

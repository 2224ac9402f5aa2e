/**
 * The `/ws` endpoint: upgrade through the Hono app, then the frame protocol per socket.
 *
 * The upgrade goes through Hono's Node adapter, so the same middleware that guards HTTP routes
 * can refuse an upgrade with a status before any socket exists. After the upgrade the relay
 * works on the raw `ws` socket: it needs `bufferedAmount`, protocol pings and close codes, and
 * the adapter's `onClose` hook builds a `CloseEvent`, a global that Node.js 20 does not have.
 */

import { upgradeWebSocket } from '@hono/node-server';
import type { MiddlewareHandler } from 'hono';
import { nanoid } from 'nanoid';
import { type WebSocket, WebSocketServer } from 'ws';
import { scopeToJson } from '../access/scope.js';
import type { SubscriberGrant } from '../access/tokens.js';
import type { EventLog } from '../events/event-log.js';
import type { Hub } from '../fanout/hub.js';
import { connectionLimit } from '../http/connection-limit.js';
import type { RelayApp, RelayEnv } from '../http/env.js';
import type { Logger } from '../observability/log.js';
import type { RelayMetrics } from '../observability/metrics.js';
import { Connection } from './connection.js';
import { Heartbeat } from './heartbeat.js';

export interface WsEndpointOptions {
  readonly hub: Hub;
  readonly log: EventLog;
  readonly logger: Logger;
  readonly metrics: RelayMetrics;
  /** Largest client frame, in bytes; larger frames close the socket with 1009. @default 65536 */
  readonly maxPayloadBytes: number;
  /** Open subscriber connections at once; further upgrades get 503. @default 10000 */
  readonly maxConnections: number;
  /** Open connections of every transport, which share `maxConnections`. */
  readonly openConnections: () => number;
  /** @default 25000 */
  readonly heartbeatIntervalMs: number;
  /** @default 10 */
  readonly maxInvalidFrames: number;
  readonly onLimit: (limit: string, fields: Record<string, unknown>) => void;
}

/** The WebSocket server and its heartbeat, ready to be mounted on the app. */
export class WsEndpoint {
  readonly server: WebSocketServer;
  readonly heartbeat: Heartbeat;
  readonly #options: WsEndpointOptions;
  readonly #sockets = new Set<WebSocket>();

  constructor(options: WsEndpointOptions) {
    this.#options = options;
    // Compression stays off: it costs CPU per frame and per subscriber, and frames are small JSON.
    this.server = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxPayloadBytes,
      perMessageDeflate: false,
    });
    this.heartbeat = new Heartbeat({
      intervalMs: options.heartbeatIntervalMs,
      onTimeout: () => {
        options.metrics.heartbeatTimeouts.inc();
        options.logger.info('peer dropped after a missed heartbeat');
      },
    });
  }

  get openSockets(): number {
    return this.#sockets.size;
  }

  /**
   * Mounts `GET /ws` on the app. `guards` (origin, rate, token) run before the upgrade, so a
   * rejected client gets an HTTP status and no socket. The last guard must set `c.var.grant`.
   */
  mount(app: RelayApp, ...guards: MiddlewareHandler<RelayEnv>[]): void {
    for (const guard of guards) app.use('/ws', guard);
    app.use('/ws', connectionLimit(this.#options));
    app.get(
      '/ws',
      upgradeWebSocket((c) => {
        const grant = c.get('grant');
        return { onOpen: (_event, context) => this.#open(context.raw as WebSocket, grant) };
      }),
    );
  }

  /** Closes every socket with `code` and stops the heartbeat. */
  close(code: number, reason: string): void {
    this.heartbeat.close();
    for (const socket of this.#sockets) socket.close(code, reason);
  }

  /** Cuts every socket that has not finished its close handshake. */
  terminate(): void {
    for (const socket of this.#sockets) socket.terminate();
  }

  #open(socket: WebSocket, grant: SubscriberGrant): void {
    const connectionId = nanoid(12);
    const connection = new Connection(socket, connectionId, grant, this.#options);
    this.#sockets.add(socket);
    this.heartbeat.track(socket);

    socket.on('error', (error) => {
      this.#options.logger.info({ connId: connectionId, err: error.message }, 'socket error');
    });
    socket.once('close', (code) => {
      this.#sockets.delete(socket);
      this.heartbeat.untrack(socket);
      this.#options.hub.detach(connection.session);
      this.#options.logger.debug({ connId: connectionId, code }, 'socket closed');
    });

    const log = this.#options.log;
    connection.welcome(log.epoch, log.seq, scopeToJson(grant.scope));
  }
}

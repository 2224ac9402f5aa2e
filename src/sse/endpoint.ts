/**
 * The `GET /api/events` endpoint: one Server-Sent Events stream per request, each a hub session
 * with one subscription built from the query.
 *
 * A stream starts with `retry:`, then either a `snapshot` message whose `id:` is the current
 * position, or (for a `Last-Event-ID` the history still reaches) a `resumed` message without
 * `id:` followed by the missed events. Live events follow, each with `id: <epoch>:<seq>`.
 */

import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context, MiddlewareHandler } from 'hono';
import { nanoid } from 'nanoid';
import { assertWithinScope } from '../access/scope.js';
import { CloseCode, RelayError } from '../errors.js';
import type { Hub, Session, SubscribeResult } from '../fanout/hub.js';
import { connectionLimit } from '../http/connection-limit.js';
import type { RelayApp, RelayEnv } from '../http/env.js';
import type { Logger } from '../observability/log.js';
import type { RelayMetrics } from '../observability/metrics.js';
import { runAt } from './expiry-timer.js';
import { encodeMessage } from './messages.js';
import { readStreamRequest } from './request.js';
import { SseStream } from './stream.js';

/** The stream's path. */
export const SSE_PATH = '/api/events';

/** Reconnection delay sent to clients in the `retry:` line, in milliseconds. */
export const SSE_RETRY_MS = 2000;

/** Id of the single subscription in each stream's session. */
const SUBSCRIPTION_ID = 'events';

export interface SseEndpointOptions {
  readonly hub: Hub;
  readonly logger: Logger;
  readonly metrics: RelayMetrics;
  /** Time between heartbeat comments, in milliseconds. @default 25000 */
  readonly heartbeatIntervalMs: number;
  /** Open subscriber connections at once. Further streams get 503. @default 10000 */
  readonly maxConnections: number;
  /** Open connections of every transport, which share `maxConnections`. */
  readonly openConnections: () => number;
  /** Whether the relay accepts new streams, which stops when it begins to shut down. */
  readonly accepting: () => boolean;
  readonly onLimit: (limit: string, fields: Record<string, unknown>) => void;
}

/** The open streams and their shared heartbeat timer. */
export class SseEndpoint {
  readonly #options: SseEndpointOptions;
  readonly #streams = new Set<SseStream>();
  readonly #heartbeat: NodeJS.Timeout;

  constructor(options: SseEndpointOptions) {
    this.#options = options;
    this.#heartbeat = setInterval(() => this.heartbeat(), options.heartbeatIntervalMs);
    this.#heartbeat.unref();
  }

  /** Streams whose connection is still open, including those ended and still flushing. */
  get openStreams(): number {
    return this.#streams.size;
  }

  /**
   * Mounts `GET /api/events`. `guards` run first (origin, rate, token), so a rejected client gets
   * an HTTP error and no stream. The last guard must set `c.var.grant`.
   */
  mount(app: RelayApp, ...guards: MiddlewareHandler<RelayEnv>[]): void {
    // Registered one by one, in order, because Hono's typings take no spread handler list.
    for (const guard of [...guards, connectionLimit(this.#options)]) app.get(SSE_PATH, guard);
    app.get(SSE_PATH, (c) => this.#open(c));
  }

  /** Writes a heartbeat comment to every idle stream. Public so tests can drive it. */
  heartbeat(): void {
    const nowMs = Date.now();
    for (const stream of this.#streams) stream.heartbeat(nowMs);
  }

  /** Stops the heartbeat and ends every stream with `code` in its last `close` message. */
  close(code: number, reason: string): void {
    clearInterval(this.#heartbeat);
    for (const stream of this.#streams) stream.close(code, reason);
  }

  #open(c: Context<RelayEnv>): Response {
    if (!this.#options.accepting()) throw new RelayError('RS_ERR_RELAY_CLOSING');

    const grant = c.get('grant');
    const request = readStreamRequest(c);
    // Checked before anything is written, so a forbidden filter gets a 403 and no stream.
    assertWithinScope(grant.scope, request.filter);
    // `app.request()` in tests and tools runs without the Node server, so it has no response.
    const response = c.env?.outgoing;
    if (response === undefined) {
      throw new Error(`${SSE_PATH} needs the Node HTTP server: c.env.outgoing is missing`);
    }

    const hub = this.#options.hub;
    const streamId = nanoid(12);
    const log = this.#options.logger.child({ streamId, sub: grant.subject });
    let cancelExpiry = (): void => {};
    const stream = new SseStream(response, () => {
      this.#streams.delete(stream);
      cancelExpiry();
      hub.detach(session);
      log.debug('stream closed');
    });
    const session = hub.attach(streamId, stream, grant.scope);

    let result: SubscribeResult;
    try {
      result = hub.subscribe(session, {
        id: SUBSCRIPTION_ID,
        filter: request.filter,
        ...(request.since === undefined ? {} : { since: request.since }),
      });
    } catch (error) {
      hub.detach(session);
      throw error;
    }

    this.#streams.add(stream);
    cancelExpiry = runAt(grant.expiresAtMs, () => {
      log.info('closing stream: token expired');
      stream.close(CloseCode.TOKEN_EXPIRED, 'token expired');
      hub.detach(session);
    });
    // Subscribing and the first writes run in one turn, so no event can fall between them.
    // A client already gone makes `start` run the cleanup above, and the writes then do nothing.
    stream.start(SSE_RETRY_MS);
    this.#sendStart(session, result);

    log.debug(
      { recovered: result.recovered, replayed: result.replay.length, tasks: result.tasks.length },
      'stream opened',
    );
    // The adapter writes nothing for this response, because the stream owns `outgoing`.
    return RESPONSE_ALREADY_SENT;
  }

  #sendStart(session: Session, result: SubscribeResult): void {
    const hub = this.#options.hub;
    const position = { epoch: result.epoch, seq: result.seq };

    if (result.recovered) {
      // No `id:` here: the client's last id must stay where it was until the replay reaches it.
      hub.send(session, encodeMessage('resumed', { ...position, recovered: true }));
      for (const published of result.replay) hub.send(session, published.frame, published.event);
      return;
    }

    const snapshot: Record<string, unknown> = {
      ...position,
      recovered: false,
      tasks: result.tasks,
    };
    if (result.truncated) snapshot.truncated = true;
    hub.sendLarge(session, encodeMessage('snapshot', snapshot, position));
  }
}

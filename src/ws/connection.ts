/**
 * One WebSocket subscriber: the frame protocol on top of a hub session.
 */
import type { RawData, WebSocket } from 'ws';
import type { SubscriberGrant } from '../access/tokens.js';
import { CloseCode, RelayError } from '../errors.js';
import type { Hub, Peer, Session } from '../fanout/hub.js';
import type { Logger } from '../observability/log.js';
import type { RelayMetrics } from '../observability/metrics.js';
import { encodeFrame, parseClientFrame, type SubscribeFrame, toFilter } from './frames.js';

/** Invalid frames are counted per window of this length, so rare mistakes never add up to a close. */
const INVALID_FRAME_WINDOW_MS = 60_000;

/** Maximum delay of a Node.js timer (2^31 - 1 ms, about 24.8 days); longer waits are re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

/** How long a closing slow consumer gets to take its close frame before the socket is cut. */
const SLOW_CLOSE_GRACE_MS = 5000;

export interface ConnectionOptions {
  readonly hub: Hub;
  readonly logger: Logger;
  readonly metrics: RelayMetrics;
  /** Invalid frames in one minute that close the connection. @default 10 */
  readonly maxInvalidFrames: number;
}

/** Adapts a `ws` socket to the hub's Peer. */
class WebSocketPeer implements Peer {
  readonly transport = 'ws' as const;
  readonly #socket: WebSocket;

  constructor(socket: WebSocket) {
    this.#socket = socket;
  }

  get bufferedAmount(): number {
    return this.#socket.bufferedAmount;
  }

  send(frame: Buffer): void {
    this.#socket.send(frame, { binary: false });
  }

  close(code: number, reason: string): void {
    if (this.#socket.readyState !== this.#socket.OPEN) return;

    this.#socket.close(code, reason);
    // A peer that stopped reading never takes the close frame queued behind its backlog.
    const timer = setTimeout(() => this.#socket.terminate(), SLOW_CLOSE_GRACE_MS);
    timer.unref();
    this.#socket.once('close', () => clearTimeout(timer));
  }
}

/** Serves the frame protocol on an open socket until it closes. */
export class Connection {
  readonly session: Session;
  readonly #socket: WebSocket;
  readonly #options: ConnectionOptions;
  readonly #log: Logger;
  #invalidFrames = 0;
  #invalidWindowStartMs = 0;

  constructor(
    socket: WebSocket,
    connectionId: string,
    grant: SubscriberGrant,
    options: ConnectionOptions,
  ) {
    this.#socket = socket;
    this.#options = options;
    this.#log = options.logger.child({ connId: connectionId, sub: grant.subject });
    this.session = options.hub.attach(connectionId, new WebSocketPeer(socket), grant.scope);

    socket.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    this.#closeAtExpiry(grant.expiresAtMs);
  }

  /** Sends the welcome frame with the stream position and the connection's scope. */
  welcome(epoch: string, seq: number, scope: Record<string, unknown>): void {
    this.#sendFrame({ type: 'welcome', connectionId: this.session.id, epoch, seq, scope });
  }

  /** Closes the socket with 4002 when the token expires, so the client fetches a new one. */
  #closeAtExpiry(expiresAtMs: number): void {
    if (!Number.isFinite(expiresAtMs)) return;

    const delayMs = Math.max(0, Math.min(expiresAtMs - Date.now(), MAX_TIMER_MS));
    const timer = setTimeout(() => {
      if (Date.now() < expiresAtMs) {
        this.#closeAtExpiry(expiresAtMs);
        return;
      }
      this.#log.info('closing connection: token expired');
      this.#socket.close(CloseCode.TOKEN_EXPIRED, 'token expired');
      this.#options.hub.detach(this.session);
    }, delayMs);
    timer.unref();
    this.#socket.once('close', () => clearTimeout(timer));
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    try {
      if (isBinary) throw new RelayError('RS_ERR_FRAME_BINARY');
      this.#handle(data.toString());
    } catch (error) {
      if (error instanceof RelayError) {
        this.#reject(error);
        return;
      }

      // A throw here would escape into the socket's data handler and end the process.
      this.#log.error({ err: error }, 'frame handling failed');
      const internal = new RelayError('RS_ERR_RELAY_INTERNAL');
      this.#sendFrame({ type: 'error', code: internal.code, message: internal.message });
    }
  }

  #handle(text: string): void {
    const frame = parseClientFrame(text);

    switch (frame.type) {
      case 'ping':
        this.#sendFrame({ type: 'pong' });
        return;
      case 'unsubscribe':
        withFrameId(frame.id, () => this.#options.hub.unsubscribe(this.session, frame.id));
        this.#sendFrame({ type: 'unsubscribed', id: frame.id });
        return;
      case 'subscribe':
        this.#subscribe(frame);
        return;
    }
  }

  #subscribe(frame: SubscribeFrame): void {
    const hub = this.#options.hub;
    const since = frame.since;
    const result = withFrameId(frame.id, () =>
      hub.subscribe(this.session, {
        id: frame.id,
        filter: toFilter(frame),
        ...(since === undefined ? {} : { since }),
      }),
    );

    const reply: Record<string, unknown> = {
      type: 'subscribed',
      id: frame.id,
      epoch: result.epoch,
      seq: result.seq,
      recovered: result.recovered,
      tasks: result.tasks,
    };
    if (result.truncated) reply.truncated = true;

    hub.sendLarge(this.session, encodeFrame(reply));
    for (const published of result.replay) hub.send(this.session, published.frame);

    this.#log.debug(
      {
        subscriptionId: frame.id,
        recovered: result.recovered,
        replayed: result.replay.length,
        tasks: result.tasks.length,
      },
      'subscribed',
    );
  }

  #reject(error: RelayError): void {
    const nowMs = Date.now();
    if (nowMs - this.#invalidWindowStartMs > INVALID_FRAME_WINDOW_MS) {
      this.#invalidWindowStartMs = nowMs;
      this.#invalidFrames = 0;
    }
    this.#invalidFrames += 1;
    this.#options.metrics.invalidFrames.inc({ code: error.code });
    this.#log.info({ code: error.code, invalidFrames: this.#invalidFrames }, 'invalid frame');

    const reply: Record<string, unknown> = {
      type: 'error',
      code: error.code,
      message: error.message,
    };
    const id = error.params.id;
    if (typeof id === 'string' && id !== '') reply.id = id;
    this.#sendFrame(reply);

    if (this.#invalidFrames >= this.#options.maxInvalidFrames) {
      this.#log.info(
        { invalidFrames: this.#invalidFrames },
        'closing connection after repeated invalid frames',
      );
      this.#socket.close(CloseCode.TOO_MANY_INVALID_FRAMES, 'too many invalid frames');
      this.#options.hub.detach(this.session);
    }
  }

  #sendFrame(frame: Record<string, unknown>): void {
    this.#options.hub.send(this.session, encodeFrame(frame));
  }
}

/** Runs a hub call for a frame, so that any RelayError it throws names the frame's `id`. */
function withFrameId<T>(id: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (!(error instanceof RelayError) || error.params.id !== undefined) throw error;
    throw new RelayError(error.code, { ...error.params, id });
  }
}

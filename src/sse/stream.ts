/**
 * One Server-Sent Events stream: the hub's Peer written straight to Node's `ServerResponse`.
 *
 * The stream writes to the response itself instead of using Hono's `streamSSE`. That helper
 * writes into a web `TransformStream` that the Node adapter drains into the response, so a
 * reader that stops reading leaves its backlog in the web stream's queue, where no
 * `bufferedAmount` can see it. Written directly, `ServerResponse.writableLength` counts every
 * byte the reader has not yet taken from Node (in Node.js 20, the response's own buffer plus its
 * socket's), which is the signal the hub's slow-consumer limit needs.
 */
import type { ServerResponse } from 'node:http';
import type { RelayEvent } from '../events/event.js';
import type { Peer } from '../fanout/hub.js';
import { encodeComment, encodeEventMessage, encodeMessage, encodeRetry } from './messages.js';

/** How long an ended stream gets to flush its backlog before the connection is cut. */
const CLOSE_GRACE_MS = 5000;

const HEADERS = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache',
  // nginx buffers proxied responses by default, which would hold events back.
  'X-Accel-Buffering': 'no',
} as const;

/** Adapts a Node response to the hub's Peer and writes the stream's framing. */
export class SseStream implements Peer {
  readonly transport = 'sse' as const;
  readonly #response: ServerResponse;
  readonly #onGone: () => void;
  #gone = false;
  #ending = false;

  /** `onGone` runs once after `start`, when the connection closes or a write finds it closed. */
  constructor(response: ServerResponse, onGone: () => void) {
    this.#response = response;
    this.#onGone = onGone;
  }

  /** Bytes written and not yet taken by the client: the response's buffer and its socket's. */
  get bufferedAmount(): number {
    return this.#response.writableLength;
  }

  /** Whether writes still reach the client: not ended by the relay, not closed by the client. */
  get writable(): boolean {
    if (this.#gone || this.#ending) return false;
    return !this.#response.destroyed && !this.#response.writableEnded;
  }

  /** Sends the status line, the headers and the reconnection delay. */
  start(retryMs: number): void {
    this.#response.once('close', () => this.#markGone());
    // A client that left while its request was being checked has already closed the response.
    if (!this.writable) {
      this.#markGone();
      return;
    }

    this.#response.writeHead(200, HEADERS);
    this.#response.write(encodeRetry(retryMs));
  }

  /** Writes a published event with its `id:` and `event:` lines, or a finished message as is. */
  send(frame: Buffer, event?: RelayEvent): void {
    if (!this.writable) {
      this.#markGone();
      return;
    }
    // NOTE: the hub checks its limit and counts `relay_bytes_sent_total` with `frame.length`, so
    // the `id:` and `event:` lines (about 60 bytes an event) are left out of both.
    this.#response.write(event === undefined ? frame : encodeEventMessage(event, frame));
  }

  /**
   * Writes a heartbeat comment, unless bytes are still waiting: those reach the client (or its
   * proxy) first anyway, and a reader that stopped reading gains nothing from more of them.
   * NOTE: SSE has no reply, so a reader that stopped is found only once events fill its buffer.
   */
  heartbeat(nowMs: number): void {
    if (!this.writable || this.bufferedAmount > 0) return;
    this.#response.write(encodeComment(`heartbeat ${nowMs}`));
  }

  /**
   * Ends the stream with a last `event: close` message carrying the WebSocket close code, so a
   * client can tell shutdown (1001), a full buffer (4001) and an expired token (4002) apart.
   * A client that stopped reading never takes the end, so the connection is cut after a grace.
   */
  close(code: number, reason: string): void {
    if (!this.writable) return;

    this.#ending = true;
    this.#response.end(encodeMessage('close', { code, reason }));
    const timer = setTimeout(() => this.#response.destroy(), CLOSE_GRACE_MS);
    timer.unref();
    this.#response.once('close', () => clearTimeout(timer));
  }

  #markGone(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#onGone();
  }
}

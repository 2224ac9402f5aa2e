/**
 * Heartbeats for WebSocket peers, on one timer for all of them.
 *
 * Each tick drops the peers that did not answer the previous protocol ping, then pings the
 * others and sends them a `heartbeat` text frame. Protocol pings find half-open connections;
 * the text frame is what browser code can see, and it keeps idle-timeout proxies from cutting
 * a quiet connection. A dead peer is dropped between one and two intervals after it stops.
 */
import type { WebSocket } from 'ws';

export interface HeartbeatOptions {
  /** Time between ticks, in milliseconds. @default 25000 */
  readonly intervalMs: number;
  /** Called after a peer that missed its pong has been terminated. */
  readonly onTimeout: (socket: WebSocket) => void;
}

/** The shared heartbeat timer and the liveness flag of each tracked socket. */
export class Heartbeat {
  readonly #alive = new Map<WebSocket, boolean>();
  readonly #options: HeartbeatOptions;
  readonly #timer: NodeJS.Timeout;

  constructor(options: HeartbeatOptions) {
    this.#options = options;
    this.#timer = setInterval(() => this.tick(), options.intervalMs);
    this.#timer.unref();
  }

  track(socket: WebSocket): void {
    this.#alive.set(socket, true);
    socket.on('pong', () => {
      if (this.#alive.has(socket)) this.#alive.set(socket, true);
    });
  }

  untrack(socket: WebSocket): void {
    this.#alive.delete(socket);
  }

  /** Runs one round: terminate the silent, ping the rest. Public so tests can drive it. */
  tick(): void {
    const frame = Buffer.from(JSON.stringify({ type: 'heartbeat', at: Date.now() }));

    for (const [socket, alive] of this.#alive) {
      // A socket already closing for another reason is left to its own close handshake.
      if (socket.readyState !== socket.OPEN) continue;

      if (!alive) {
        this.#alive.delete(socket);
        socket.terminate();
        this.#options.onTimeout(socket);
        continue;
      }

      this.#alive.set(socket, false);
      socket.ping();
      socket.send(frame, { binary: false });
    }
  }

  close(): void {
    clearInterval(this.#timer);
    this.#alive.clear();
  }
}

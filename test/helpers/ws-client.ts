/**
 * A real `ws` client that records every frame and lets a test wait for the next one it wants.
 */
import { once } from 'node:events';
import WebSocket from 'ws';

export type Frame = Record<string, unknown> & { type: string };

interface Waiter {
  readonly accept: (frame: Frame) => boolean;
  readonly resolve: (frame: Frame) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** A subscriber connection for tests. */
export class TestClient {
  readonly socket: WebSocket;
  /** Every frame received, in order. */
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #cursor = 0;
  #waiters: Waiter[] = [];

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => this.#receive(JSON.parse(String(data)) as Frame));
    this.closed = new Promise((resolve) => {
      socket.once('close', (code, reason) => {
        for (const waiter of this.#waiters) {
          clearTimeout(waiter.timer);
          waiter.reject(new Error(`socket closed with ${code} while waiting`));
        }
        this.#waiters = [];
        resolve({ code, reason: String(reason) });
      });
    });
  }

  /** Connects and waits for the welcome frame. */
  static async connect(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const socket = new WebSocket(url, options);
    const client = new TestClient(socket);
    await once(socket, 'open');
    await client.next((frame) => frame.type === 'welcome');
    return client;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /**
   * Resolves with the next frame after the previous `next` result that `accept` takes, skipping
   * heartbeats unless asked for. Frames skipped on the way stay in `frames`.
   */
  next(accept: (frame: Frame) => boolean = () => true, timeoutMs = 5000): Promise<Frame> {
    const wanted = (frame: Frame): boolean =>
      (frame.type !== 'heartbeat' || accept === isHeartbeat) && accept(frame);

    while (this.#cursor < this.frames.length) {
      const frame = this.frames[this.#cursor++] as Frame;
      if (wanted(frame)) return Promise.resolve(frame);
    }

    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((waiter) => waiter.timer !== timer);
        reject(
          new Error(
            `no matching frame within ${timeoutMs} ms; received ${JSON.stringify(this.frames.slice(-5))}`,
          ),
        );
      }, timeoutMs);
      this.#waiters.push({ accept: wanted, resolve, reject, timer });
    });
  }

  /** Sends a subscribe frame and waits for its `subscribed` reply. */
  async subscribe(frame: Record<string, unknown>): Promise<Frame> {
    this.send({ type: 'subscribe', ...frame });
    return this.next(
      (reply) => (reply.type === 'subscribed' || reply.type === 'error') && reply.id === frame.id,
    );
  }

  /** Events received so far (frames whose type starts with `task.`). */
  events(): Frame[] {
    return this.frames.filter((frame) => frame.type.startsWith('task.'));
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await this.closed;
  }

  #receive(frame: Frame): void {
    this.frames.push(frame);
    const index = this.#waiters.findIndex((waiter) => waiter.accept(frame));
    if (index === -1) return;

    const [waiter] = this.#waiters.splice(index, 1);
    if (waiter === undefined) return;
    // Frames up to this one count as consumed, so the next `next` starts after it.
    this.#cursor = this.frames.length;
    clearTimeout(waiter.timer);
    waiter.resolve(frame);
  }
}

/** Pass to `next` to wait for a heartbeat frame. */
export const isHeartbeat = (frame: Frame): boolean => frame.type === 'heartbeat';

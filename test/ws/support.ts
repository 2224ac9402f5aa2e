/**
 * Shared pieces of the WebSocket transport tests: bounded waits, metric reads and a raw TCP
 * client that can send frames a well-behaved `ws` client never would.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { within } from '../helpers/wait.js';

/** Polls `condition` every 10 ms until it holds, and rejects naming `description` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  description: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export { within } from '../helpers/wait.js';

/** Scrapes `/metrics` and returns the sum of every sample of `name` over all label sets. */
export async function readMetric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (match?.[1] === name) total += Number(match[3]);
  }
  return total;
}

/** Opens a plain `ws` client and resolves once the relay's welcome frame has arrived. */
export async function openSocket(
  wsUrl: string,
  options: WebSocket.ClientOptions = {},
): Promise<WebSocket> {
  const socket = new WebSocket(wsUrl, options);
  const welcome = new Promise<void>((resolve, reject) => {
    socket.once('message', (data) => {
      const frame = JSON.parse(String(data)) as { type?: unknown };
      if (frame.type === 'welcome') resolve();
      else reject(new Error(`expected a welcome frame, received ${String(data)}`));
    });
  });
  await once(socket, 'open');
  await welcome;
  return socket;
}

/** Returns the TCP socket under a `ws` client, which `ws` keeps private. Pausing it stops reading. */
export function tcpOf(socket: WebSocket): Socket {
  return (socket as unknown as { _socket: Socket })._socket;
}

/** Resolves with the code and reason of a `ws` client's close event. */
export function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
  if (socket.readyState === WebSocket.CLOSED) {
    return Promise.reject(new Error('socket closed before the test started waiting'));
  }
  return new Promise((resolve) => {
    socket.once('close', (code, reason) => resolve({ code, reason: String(reason) }));
  });
}

/** Closes a `ws` client if it is still open and waits for its close event, at most 2 s. */
export async function closeSocket(socket: WebSocket | undefined): Promise<void> {
  if (socket === undefined || socket.readyState === WebSocket.CLOSED) return;
  const closed = once(socket, 'close');
  socket.close();
  await within(closed, 'a test client to close', 2000).catch(() => socket.terminate());
}

/** WebSocket opcodes (RFC 6455, section 5.2). */
export const Opcode = { TEXT: 0x1, BINARY: 0x2, CLOSE: 0x8, PING: 0x9, PONG: 0xa } as const;

/** One frame as the relay sent it. */
export interface ServerFrame {
  readonly opcode: number;
  readonly payload: Buffer;
}

/** Encodes one final client frame. `masked: false` breaks the rule that clients mask frames. */
export function encodeClientFrame(opcode: number, payload: Buffer, masked = true): Buffer {
  const length = payload.length;
  const lengthBytes =
    length < 126 ? Buffer.from([length]) : Buffer.from([126, length >> 8, length & 0xff]);
  if (length > 0xffff) throw new Error(`raw frames above 65535 bytes are not supported: ${length}`);

  const head = Buffer.from([0x80 | opcode]);
  if (!masked) return Buffer.concat([head, lengthBytes, payload]);

  lengthBytes[0] = (lengthBytes[0] ?? 0) | 0x80;
  const mask = randomBytes(4);
  const body = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) body[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return Buffer.concat([head, lengthBytes, mask, body]);
}

/**
 * A WebSocket client on a bare TCP socket: it performs the opening handshake itself, writes
 * any bytes the test gives it and decodes the relay's frames, which are never masked.
 */
export class RawClient {
  readonly socket: Socket;
  readonly frames: ServerFrame[] = [];
  /** Resolves when the TCP connection has closed, whatever the WebSocket state. */
  readonly ended: Promise<void>;
  #pending = Buffer.alloc(0);
  #listeners: (() => void)[] = [];

  private constructor(socket: Socket, rest: Buffer) {
    this.socket = socket;
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.#receive(rest);
  }

  /**
   * Connects to `wsUrl` (a `ws://127.0.0.1:port/path` URL) and completes the handshake.
   * `early` bytes go out in the same write as the upgrade request, before any reply.
   */
  static async connect(wsUrl: string, early: Buffer = Buffer.alloc(0)): Promise<RawClient> {
    const url = new URL(wsUrl);
    const socket = connect(Number(url.port), url.hostname);
    socket.on('error', () => {
      // The relay may reset the connection after a protocol error, and `ended` reports the close.
    });
    await once(socket, 'connect');

    const key = randomBytes(16).toString('base64');
    const upgrade = [
      `GET ${url.pathname} HTTP/1.1`,
      `Host: ${url.host}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${key}`,
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ].join('\r\n');
    socket.write(Buffer.concat([Buffer.from(upgrade), early]));

    let head = Buffer.alloc(0);
    let end = -1;
    while (end === -1) {
      const [chunk] = (await once(socket, 'data')) as [Buffer];
      head = Buffer.concat([head, chunk]);
      end = head.indexOf('\r\n\r\n');
    }
    const statusLine = head.subarray(0, head.indexOf('\r\n')).toString();
    if (!statusLine.startsWith('HTTP/1.1 101')) {
      socket.destroy();
      throw new Error(`expected 101 Switching Protocols, received ${statusLine}`);
    }

    // The constructor attaches its data listener in this same turn, so no chunk is missed.
    return new RawClient(socket, head.subarray(end + 4));
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Resolves with the first frame of `opcode`, received before or after the call. */
  async frame(opcode: number, timeoutMs = 5000): Promise<ServerFrame> {
    const find = (): ServerFrame | undefined => this.frames.find((f) => f.opcode === opcode);
    await this.#until(() => find() !== undefined, `a frame with opcode ${opcode}`, timeoutMs);
    return find() as ServerFrame;
  }

  /** Resolves with the status code of the relay's close frame. */
  async closeCode(timeoutMs = 5000): Promise<number> {
    const frame = await this.frame(Opcode.CLOSE, timeoutMs);
    return frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
  }

  destroy(): void {
    this.socket.destroy();
  }

  #until(condition: () => boolean, description: string, timeoutMs: number): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners = this.#listeners.filter((listener) => listener !== check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${description}`));
      }, timeoutMs);
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((listener) => listener !== check);
        resolve();
      };
      this.#listeners.push(check);
    });
  }

  #receive(chunk: Buffer): void {
    this.#pending = Buffer.concat([this.#pending, chunk]);
    for (;;) {
      const frame = this.#takeFrame();
      if (frame === undefined) break;
      this.frames.push(frame);
    }
    for (const listener of [...this.#listeners]) listener();
  }

  /** Removes one complete frame from the pending bytes, or returns undefined if none is whole. */
  #takeFrame(): ServerFrame | undefined {
    const bytes = this.#pending;
    if (bytes.length < 2) return undefined;

    const opcode = (bytes[0] ?? 0) & 0x0f;
    let length = (bytes[1] ?? 0) & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (bytes.length < 4) return undefined;
      length = bytes.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (bytes.length < 10) return undefined;
      length = Number(bytes.readBigUInt64BE(2));
      offset = 10;
    }
    if (bytes.length < offset + length) return undefined;

    const payload = Buffer.from(bytes.subarray(offset, offset + length));
    this.#pending = bytes.subarray(offset + length);
    return { opcode, payload };
  }
}

/**
 * Shared pieces of the Server-Sent Events tests: a plain `node:http` client with its own SSE
 * parser (no EventSource library), metric reads by label, and watches on the relay's responses.
 */
import {
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  ServerResponse,
} from 'node:http';

/** One dispatched SSE message. `event` is `message` when the stream named none. */
export interface SseMessage {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

/** An SSE message whose data is the JSON of an object. */
export type JsonMessage = SseMessage & { readonly json: Record<string, unknown> };

interface Waiter {
  readonly check: () => void;
}

/**
 * A stream read with `node:http`, as `curl -N` reads it. The parser follows the WHATWG
 * event-stream rules the relay relies on: `field: value` lines, `:` comments, and a blank line
 * ending each message. It splits lines at LF only, because the relay writes no CR.
 */
export class SseClient {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Every dispatched message, in order. */
  readonly messages: SseMessage[] = [];
  /** The text of every comment line, without the leading `:` and space. */
  readonly comments: string[] = [];
  /** The last `retry:` value received, in milliseconds. */
  retryMs: number | undefined;
  /** The last event id the stream set, as an EventSource would keep it. */
  lastEventId = '';
  /** Every byte of the body as text. */
  text = '';
  /** Resolves when the response ends or its connection closes. */
  readonly ended: Promise<void>;
  #ended = false;
  readonly #request: ClientRequest;
  readonly #response: IncomingMessage;
  #pending = '';
  #cursor = 0;
  #waiters: Waiter[] = [];

  private constructor(clientRequest: ClientRequest, response: IncomingMessage) {
    this.#request = clientRequest;
    this.#response = response;
    this.status = response.statusCode ?? 0;
    this.headers = response.headers;
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.#receive(chunk));
    this.ended = new Promise((resolve) => {
      const end = (): void => {
        this.#ended = true;
        this.#notify();
        resolve();
      };
      response.once('end', end);
      response.once('close', end);
    });
  }

  /** Sends the GET and resolves once the status line and headers have arrived. */
  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const clientRequest = request(url, { headers, agent: false });
      clientRequest.once('error', reject);
      clientRequest.once('response', (response) => {
        // An abort by the test later is expected, not a failure.
        clientRequest.on('error', () => {});
        resolve(new SseClient(clientRequest, response));
      });
      clientRequest.end();
    });
  }

  /** Opens a stream and waits for its first message (the snapshot or `resumed`). */
  static async connect(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = await SseClient.open(url, headers);
    if (client.status !== 200) {
      client.abort();
      throw new Error(`expected 200 from ${url}, received ${client.status}`);
    }
    await client.next();
    return client;
  }

  /** Whether the response has ended or its connection closed. */
  get isEnded(): boolean {
    return this.#ended;
  }

  /**
   * Resolves with the next message after the previous `next` result that `accept` takes.
   * Messages skipped on the way stay in `messages`.
   */
  next(
    accept: (message: JsonMessage) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<JsonMessage> {
    return this.#until(
      () => {
        while (this.#cursor < this.messages.length) {
          const message = toJson(this.messages[this.#cursor] as SseMessage);
          this.#cursor += 1;
          if (accept(message)) return message;
        }
        return undefined;
      },
      'a matching message',
      timeoutMs,
    );
  }

  /** Resolves once `condition` holds, checked after every chunk received. */
  async waitUntil(condition: () => boolean, description: string, timeoutMs = 5000): Promise<void> {
    await this.#until(() => (condition() ? true : undefined), description, timeoutMs);
  }

  /** Returns every event message (`task.*`, `frame.*`) with its JSON parsed. */
  events(): JsonMessage[] {
    return this.messages
      .filter((message) => message.event.startsWith('task.') || message.event.startsWith('frame.'))
      .map(toJson);
  }

  /** Stops reading from the socket, so the relay's writes back up. */
  pause(): void {
    this.#response.pause();
    this.#response.socket.pause();
  }

  resume(): void {
    this.#response.socket.resume();
    this.#response.resume();
  }

  /** Closes the connection from the client side, as a closed browser tab does. */
  abort(): void {
    this.#request.destroy();
  }

  #until<T>(find: () => T | undefined, description: string, timeoutMs: number): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);

    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const value = find();
          if (value !== undefined) {
            finish();
            resolve(value);
            return;
          }
          if (this.#ended) {
            finish();
            reject(new Error(`stream ended while waiting for ${description}`));
          }
        },
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${description}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((other) => other !== waiter);
      };
      this.#waiters.push(waiter);
      if (this.#ended) waiter.check();
    });
  }

  #receive(chunk: string): void {
    this.text += chunk;
    this.#pending += chunk;
    for (;;) {
      const end = this.#pending.indexOf('\n\n');
      if (end === -1) break;
      this.#parseBlock(this.#pending.slice(0, end));
      this.#pending = this.#pending.slice(end + 2);
    }
    this.#notify();
  }

  #parseBlock(block: string): void {
    let event = '';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        this.comments.push(line.slice(1).trimStart());
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const rawValue = colon === -1 ? '' : line.slice(colon + 1);
      const value = rawValue.startsWith(' ') ? rawValue.slice(1) : rawValue;
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') this.lastEventId = value;
      else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    }
    // As in an EventSource, a block without data lines dispatches nothing.
    if (data.length === 0) return;

    const id = block.split('\n').some((line) => line.startsWith('id:'))
      ? this.lastEventId
      : undefined;
    this.messages.push({ id, event: event === '' ? 'message' : event, data: data.join('\n') });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter.check();
  }
}

function toJson(message: SseMessage): JsonMessage {
  return { ...message, json: JSON.parse(message.data) as Record<string, unknown> };
}

/** Reads the body of a rejected stream request as JSON. */
export async function readJsonBody(client: SseClient): Promise<Record<string, unknown>> {
  await client.ended;
  return JSON.parse(client.text) as Record<string, unknown>;
}

/** Returns the sample of `name` with exactly the label `label="value"`, or 0 when absent. */
export async function readLabeledMetric(
  url: string,
  name: string,
  label: string,
  value: string,
): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const prefix = `${name}{${label}="${value}"} `;
  const line = text.split('\n').find((candidate) => candidate.startsWith(prefix));
  return line === undefined ? 0 : Number(line.slice(prefix.length));
}

/** Builds the stream URL with a query of parameters that may repeat. */
export function eventsUrl(baseUrl: string, query: Record<string, string | string[]> = {}): string {
  const params = new URLSearchParams();
  for (const [name, values] of Object.entries(query)) {
    for (const value of Array.isArray(values) ? values : [values]) params.append(name, value);
  }
  const text = params.toString();
  return `${baseUrl}/api/events${text === '' ? '' : `?${text}`}`;
}

/** Counts relay writes to responses that are already closed, by patching Node's response. */
export function watchWritesAfterClose(): { count: () => number; restore: () => void } {
  const prototype = ServerResponse.prototype;
  const write = prototype.write;
  const end = prototype.end;
  let writesAfterClose = 0;
  const check = (response: ServerResponse): void => {
    if (response.destroyed || response.writableEnded) writesAfterClose += 1;
  };
  prototype.write = function (this: ServerResponse, ...args: unknown[]) {
    check(this);
    return (write as (...rest: unknown[]) => boolean).apply(this, args);
  } as ServerResponse['write'];
  prototype.end = function (this: ServerResponse, ...args: unknown[]) {
    check(this);
    return (end as (...rest: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['end'];

  return {
    count: () => writesAfterClose,
    restore: () => {
      prototype.write = write;
      prototype.end = end;
    },
  };
}

/** Records every response the relay starts as an event stream. */
export function watchStreamResponses(): { responses: ServerResponse[]; restore: () => void } {
  const prototype = ServerResponse.prototype;
  const writeHead = prototype.writeHead;
  const responses: ServerResponse[] = [];
  prototype.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const headers = args.find((arg) => typeof arg === 'object' && arg !== null);
    const type = (headers as Record<string, unknown> | undefined)?.['Content-Type'];
    if (type === 'text/event-stream') responses.push(this);
    return (writeHead as (...rest: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
  return { responses, restore: () => (prototype.writeHead = writeHead) };
}

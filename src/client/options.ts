/**
 * The options of a RelayClient, their defaults and their checks.
 */
import { checkBounds } from './backoff.js';
import type { WebSocketConstructorLike } from './transport.js';
import { socketUrl } from './transport.js';

/** The tasks to receive. Fields combine with AND, values in one list with OR. */
export interface ClientFilter {
  owners?: number[];
  agencies?: number[];
  statuses?: number[];
  taskIds?: number[];
  /** Also receive `frame.updated` events. @default false */
  frames?: boolean;
}

export interface RelayClientOptions {
  /** `ws(s)://host:port/ws`, or an `http(s)://` base URL, which gets `/ws` appended. No default. */
  url: string;
  /** The subscriber token; a function is called before every connect and reconnect. */
  token?: string | (() => string | Promise<string>);
  /** @default every task the token may see, without frame events */
  filter?: ClientFilter;
  /** @default 500 */
  minReconnectDelayMs?: number;
  /** @default 20000 */
  maxReconnectDelayMs?: number;
  /** How long a connection must stay up before the retry count resets, in ms. @default 10000 */
  healthyAfterMs?: number;
  /**
   * Time between application pings, in ms; 2 intervals without any frame drop the socket.
   * @default 25000
   */
  pingIntervalMs?: number;
  /** @default globalThis.WebSocket, else the `ws` package */
  WebSocket?: WebSocketConstructorLike;
  /** Source of the reconnect jitter, returning [0, 1). @default Math.random */
  random?: () => number;
}

/** The options with defaults filled in. */
export interface ResolvedClientOptions {
  readonly url: string;
  readonly token: RelayClientOptions['token'];
  readonly filter: ClientFilter;
  readonly minReconnectDelayMs: number;
  readonly maxReconnectDelayMs: number;
  readonly healthyAfterMs: number;
  readonly pingIntervalMs: number;
  readonly WebSocket: WebSocketConstructorLike | undefined;
  readonly random: () => number;
}

/**
 * Fills in defaults and checks every value before anything connects.
 *
 * @throws TypeError for an invalid URL, RangeError for an invalid delay or interval
 */
export function resolveClientOptions(options: RelayClientOptions): ResolvedClientOptions {
  socketUrl(options.url, undefined);

  const resolved: ResolvedClientOptions = {
    url: options.url,
    token: options.token,
    filter: { ...options.filter },
    minReconnectDelayMs: options.minReconnectDelayMs ?? 500,
    maxReconnectDelayMs: options.maxReconnectDelayMs ?? 20_000,
    healthyAfterMs: options.healthyAfterMs ?? 10_000,
    pingIntervalMs: options.pingIntervalMs ?? 25_000,
    WebSocket: options.WebSocket,
    random: options.random ?? Math.random,
  };

  checkBounds({ minMs: resolved.minReconnectDelayMs, maxMs: resolved.maxReconnectDelayMs });
  for (const name of ['healthyAfterMs', 'pingIntervalMs'] as const) {
    const value = resolved[name];
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(`${name} must be a finite number > 0, got ${value}`);
    }
  }
  return resolved;
}

/** Builds the subscribe frame for the filter, resuming after `since` when given. */
export function subscribeFrame(
  id: string,
  filter: ClientFilter,
  since: { epoch: string; seq: number } | undefined,
): Record<string, unknown> {
  const frame: Record<string, unknown> = { type: 'subscribe', id };
  for (const key of ['owners', 'agencies', 'statuses', 'taskIds'] as const) {
    const values = filter[key];
    if (values !== undefined && values.length > 0) frame[key] = values;
  }
  if (filter.frames === true) frame.frames = true;
  if (since !== undefined) frame.since = since;
  return frame;
}

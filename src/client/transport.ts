/**
 * The WebSocket the client runs on: the few members it uses, so the browser's `WebSocket` and
 * the `ws` package both fit, and the socket URL built from the base URL the caller gave.
 */

/** The fields of a socket event the client reads: `data` on messages, `code`/`reason` on close. */
export interface SocketEventLike {
  /** The event name; required so that the DOM's and `ws`'s plain `Event` type fits. */
  readonly type: string;
  readonly data?: unknown;
  readonly code?: number;
  readonly reason?: string;
  /** The `ws` package puts "Unexpected server response: 401" here when an upgrade is refused. */
  readonly message?: string;
}

/** The members of a WebSocket the client uses. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** Cuts the connection without a close handshake; only the `ws` package has it. */
  terminate?(): void;
  addEventListener(
    type: 'open' | 'message' | 'close' | 'error',
    listener: (event: SocketEventLike) => void,
  ): void;
}

/** A WebSocket class: the browser's, the `ws` package's, or a test double. */
export type WebSocketConstructorLike = new (url: string) => SocketLike;

/**
 * Returns `globalThis.WebSocket` when the runtime has one (browsers, Node.js 22+), else the `ws`
 * package's class. The import is dynamic so that browser bundles never load `ws`.
 */
export async function loadWebSocket(): Promise<WebSocketConstructorLike> {
  const builtIn = (globalThis as { WebSocket?: WebSocketConstructorLike }).WebSocket;
  if (builtIn !== undefined) return builtIn;

  const module = await import('ws');
  return module.default as unknown as WebSocketConstructorLike;
}

/**
 * Turns the caller's URL into the socket URL: `http(s)://host` becomes `ws(s)://host/ws`, a
 * `ws(s)://` URL is kept as given. The token goes in `?token=`, the one way browsers can send it.
 *
 * @throws TypeError for a URL that does not parse or has another scheme
 */
export function socketUrl(base: string, token: string | undefined): string {
  const url = new URL(base);
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
    if (!url.pathname.endsWith('/ws')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/ws`;
  } else if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new TypeError(`invalid relay url ${base}: expected ws://, wss://, http:// or https://`);
  }

  if (token !== undefined && token !== '') url.searchParams.set('token', token);
  return url.toString();
}

/**
 * Returns the HTTP status of a refused upgrade from a socket `error` event, when the runtime
 * reports it. Browsers never do; the `ws` package names it in the message.
 */
export function upgradeStatusOf(event: SocketEventLike): number | undefined {
  const match = /Unexpected server response: (\d{3})/.exec(event.message ?? '');
  return match === null ? undefined : Number(match[1]);
}

/**
 * RelayClient: one subscription to a relay that survives disconnects. It reconnects with
 * jittered backoff, resumes after the last event it applied, and keeps a map of the matching
 * tasks current. The same code runs in Node.js and browsers.
 */
import type { RelayEvent } from '../events/event.js';
import type { TaskView } from '../events/task-view.js';
import { reconnectDelayMs } from './backoff.js';
import { RelayClientError } from './client-error.js';
import { decideAfterClose, type SocketEnd } from './close-policy.js';
import {
  type ClientListeners,
  type ClientState,
  Listeners,
  type ListenerType,
  type SnapshotReason,
  type StateInfo,
} from './listeners.js';
import {
  type RelayClientOptions,
  type ResolvedClientOptions,
  resolveClientOptions,
  subscribeFrame,
} from './options.js';
import { parseServerFrame, type ServerFrame } from './server-frames.js';
import { TaskMap } from './task-map.js';
import {
  loadWebSocket,
  type SocketLike,
  socketUrl,
  upgradeStatusOf,
  type WebSocketConstructorLike,
} from './transport.js';
import { Watchdog } from './watchdog.js';

/** `readyState` of an open socket, the same in browsers and the `ws` package. */
const OPEN = 1;

/** A subscriber connection that reconnects and resumes on its own. */
export class RelayClient {
  readonly #options: ResolvedClientOptions;
  readonly #listeners = new Listeners();
  readonly #tasks: TaskMap;
  #state: ClientState = 'idle';
  /** Bumped whenever a socket is dropped, so callbacks of an older socket do nothing. */
  #generation = 0;
  #socket: SocketLike | undefined;
  #subscriptionId = '';
  #watchdog: Watchdog | undefined;
  #WebSocket: WebSocketConstructorLike | undefined;
  /** Failed connections since the last healthy one; the backoff exponent. */
  #attempt = 0;
  #position: { epoch: string; seq: number } | undefined;
  #hasSnapshot = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #healthyTimer: ReturnType<typeof setTimeout> | undefined;

  /** @throws TypeError for an invalid URL, RangeError for an invalid delay or interval */
  constructor(options: RelayClientOptions) {
    this.#options = resolveClientOptions(options);
    this.#tasks = new TaskMap(this.#options.filter);
    this.#WebSocket = this.#options.WebSocket;
  }

  get state(): ClientState {
    return this.#state;
  }

  /** Tasks matching the filter, by id: the last snapshot with every later event applied. */
  get tasks(): ReadonlyMap<number, TaskView> {
    return this.#tasks.view;
  }

  /** The last event applied (or the snapshot's position); the next connection resumes after it. */
  get position(): { epoch: string; seq: number } | undefined {
    return this.#position === undefined ? undefined : { ...this.#position };
  }

  /** Adds a listener; returns the function that removes it. */
  on<K extends ListenerType>(type: K, listener: ClientListeners[K]): () => void {
    return this.#listeners.add(type, listener);
  }

  /** Starts connecting. Calls after the first, and after `close()`, do nothing. */
  start(): void {
    if (this.#state !== 'idle') return;
    this.#run();
  }

  /** Closes the socket and stops for good: no more reconnects or events. */
  close(): void {
    if (this.#state === 'closed') return;
    clearTimeout(this.#retryTimer);
    this.#dropSocket(false);
    this.#setState('closed', { attempt: this.#attempt });
  }

  #run(): void {
    this.#connect().catch((error: unknown) => {
      this.#fail(
        new RelayClientError('RS_CLIENT_CONNECT_FAILED', `connecting failed: ${String(error)}`, {
          cause: error,
        }),
      );
    });
  }

  async #connect(): Promise<void> {
    const generation = ++this.#generation;
    this.#setState('connecting', { attempt: this.#attempt });
    if (generation !== this.#generation) return;

    let token: string | undefined;
    try {
      const source = this.#options.token;
      token = typeof source === 'function' ? await source() : source;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#report(
        new RelayClientError('RS_CLIENT_TOKEN_FAILED', 'the token function threw; retrying', {
          cause: error,
        }),
      );
      this.#retry({ reason: 'token function failed' });
      return;
    }
    if (generation !== this.#generation) return;

    const WebSocketClass = this.#WebSocket ?? (await loadWebSocket());
    if (generation !== this.#generation) return;
    this.#WebSocket = WebSocketClass;

    this.#attach(new WebSocketClass(socketUrl(this.#options.url, token)), generation);
  }

  #attach(socket: SocketLike, generation: number): void {
    const current = (): boolean => generation === this.#generation;
    this.#socket = socket;
    this.#subscriptionId = `sdk-${generation}`;
    let upgradeStatus: number | undefined;

    const watchdog = new Watchdog({
      intervalMs: this.#options.pingIntervalMs,
      sendPing: () => this.#send(socket, { type: 'ping' }),
      onSilent: () => {
        if (current()) this.#lost({ reason: 'no frame from the relay within 2 ping intervals' });
      },
    });
    this.#watchdog = watchdog;

    socket.addEventListener('open', () => {
      if (current()) watchdog.start();
    });
    socket.addEventListener('message', (event) => {
      if (!current()) return;
      watchdog.touch();
      this.#receive(event.data, socket, generation);
    });
    socket.addEventListener('error', (event) => {
      if (current()) upgradeStatus ??= upgradeStatusOf(event);
    });
    socket.addEventListener('close', (event) => {
      if (!current()) return;
      const end: SocketEnd = { reason: event.reason ?? '' };
      if (event.code !== undefined) end.code = event.code;
      if (upgradeStatus !== undefined) end.upgradeStatus = upgradeStatus;
      this.#lost(end);
    });
  }

  #receive(data: unknown, socket: SocketLike, generation: number): void {
    let frame: ServerFrame;
    try {
      frame = parseServerFrame(typeof data === 'string' ? data : String(data));
    } catch (error) {
      this.#report(
        new RelayClientError('RS_CLIENT_FRAME_INVALID', `ignored a relay frame: ${error}`),
      );
      return;
    }

    switch (frame.kind) {
      case 'welcome':
        this.#send(
          socket,
          subscribeFrame(this.#subscriptionId, this.#options.filter, this.#position),
        );
        return;
      case 'subscribed':
        if (frame.id === this.#subscriptionId) this.#onSubscribed(frame, generation);
        return;
      case 'event':
        this.#onEvent(frame.event);
        return;
      case 'error':
        this.#onErrorFrame(frame);
        return;
      case 'other':
        return;
    }
  }

  #onSubscribed(frame: Extract<ServerFrame, { kind: 'subscribed' }>, generation: number): void {
    if (!frame.recovered) {
      const reason: SnapshotReason = !this.#hasSnapshot
        ? 'initial'
        : this.#position?.epoch !== frame.epoch
          ? 'new-epoch'
          : 'history-lost';
      this.#tasks.replace(frame.tasks);
      this.#position = { epoch: frame.epoch, seq: frame.seq };
      this.#hasSnapshot = true;
      const { epoch, seq, tasks, truncated } = frame;
      this.#listeners.emit('snapshot', { reason, tasks, epoch, seq, truncated });
      if (generation !== this.#generation) return;
    }

    this.#healthyTimer = setTimeout(() => {
      this.#attempt = 0;
    }, this.#options.healthyAfterMs);
    this.#setState('connected', { attempt: this.#attempt });
  }

  #onEvent(event: RelayEvent): void {
    const position = this.#position;
    // A resend or an event of another epoch than the subscription's is not news.
    if (position === undefined || event.epoch !== position.epoch || event.seq <= position.seq) {
      return;
    }
    this.#tasks.apply(event);
    this.#position = { epoch: event.epoch, seq: event.seq };
    this.#listeners.emit('event', event);
  }

  #onErrorFrame(frame: Extract<ServerFrame, { kind: 'error' }>): void {
    const rejectsSubscription = frame.id !== undefined && frame.id === this.#subscriptionId;
    const error = new RelayClientError(frame.code, `relay error ${frame.code}: ${frame.message}`, {
      fatal: rejectsSubscription,
    });
    // A rejected filter (such as RS_ERR_FORBIDDEN) would be rejected again on every reconnect.
    if (rejectsSubscription) this.#fail(error);
    else this.#report(error);
  }

  /** Handles the end of the current socket: stop, or retry after a backoff delay. */
  #lost(end: SocketEnd): void {
    this.#dropSocket(true);
    const decision = decideAfterClose(end, typeof this.#options.token === 'function');
    if (decision.action === 'stop') {
      this.#fail(decision.error);
      return;
    }
    if (decision.error !== undefined) this.#report(decision.error);

    const { code, upgradeStatus } = end;
    const info: SocketEnd = {
      reason: upgradeStatus === undefined ? end.reason : `HTTP ${upgradeStatus}`,
    };
    if (code !== undefined) info.code = code;
    this.#retry(info);
  }

  #retry(end: SocketEnd): void {
    if (this.#state === 'closed') return;
    const delayMs = reconnectDelayMs(
      this.#attempt,
      { minMs: this.#options.minReconnectDelayMs, maxMs: this.#options.maxReconnectDelayMs },
      this.#options.random,
    );
    this.#attempt += 1;

    const info: StateInfo = { attempt: this.#attempt, delayMs };
    if (end.code !== undefined) info.code = end.code;
    if (end.reason !== undefined) info.reason = end.reason;
    this.#setState('reconnecting', info);
    if (this.#state !== 'reconnecting') return;

    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#state === 'reconnecting') this.#run();
    }, delayMs);
  }

  /** Invalidates the current socket's callbacks and closes it: cut at once when `abrupt`. */
  #dropSocket(abrupt: boolean): void {
    this.#generation += 1;
    this.#watchdog?.stop();
    this.#watchdog = undefined;
    clearTimeout(this.#healthyTimer);

    const socket = this.#socket;
    this.#socket = undefined;
    if (socket === undefined || socket.readyState > OPEN) return;
    try {
      if (abrupt && socket.terminate !== undefined) socket.terminate();
      else socket.close(1000, 'client closed');
    } catch {
      // The socket is abandoned either way; its callbacks are already no-ops.
    }
  }

  #fail(error: RelayClientError): void {
    this.close();
    this.#report(error);
  }

  #report(error: Error): void {
    this.#listeners.emit('error', error);
  }

  #setState(state: ClientState, info: StateInfo): void {
    if (this.#state === 'closed') return;
    this.#state = state;
    this.#listeners.emit('state', state, info);
  }

  #send(socket: SocketLike, frame: Record<string, unknown>): void {
    if (socket.readyState !== OPEN) return;
    socket.send(JSON.stringify(frame));
  }
}

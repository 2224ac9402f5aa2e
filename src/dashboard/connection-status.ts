/**
 * The connection line: the SDK's state, a countdown while reconnecting, and a note on how the
 * last reconnect ended (recovered from history, or re-synced from a new snapshot).
 */
import type { ClientState, SnapshotReason, StateInfo } from '../client/index.js';
import { setText } from './dom.js';
import { type Lang, type MessageKey, translate } from './i18n.js';

const STATE_KEYS: Record<ClientState, MessageKey> = {
  idle: 'stateIdle',
  connecting: 'stateConnecting',
  connected: 'stateConnected',
  reconnecting: 'stateReconnecting',
  closed: 'stateClosed',
};

export class ConnectionStatus {
  readonly #state: HTMLElement;
  readonly #note: HTMLElement;
  #lang: Lang;
  #current: ClientState = 'idle';
  #attempt = 0;
  #retryAtMs = 0;
  #noteKey: MessageKey | undefined;
  /** Whether a snapshot arrived since the last drop; without one, a reconnect recovered. */
  #snapshotSinceDrop = false;
  #wasDropped = false;

  constructor(state: HTMLElement, note: HTMLElement, lang: Lang) {
    this.#state = state;
    this.#note = note;
    this.#lang = lang;
    this.#render(Date.now());
  }

  setLang(lang: Lang): void {
    this.#lang = lang;
    this.#render(Date.now());
  }

  onState(state: ClientState, info: StateInfo): void {
    this.#current = state;
    this.#attempt = info.attempt;
    if (state === 'reconnecting') {
      this.#retryAtMs = Date.now() + (info.delayMs ?? 0);
      this.#wasDropped = true;
      this.#snapshotSinceDrop = false;
    }
    if (state === 'connected' && this.#wasDropped) {
      if (!this.#snapshotSinceDrop) this.#noteKey = 'recovered';
      this.#wasDropped = false;
    }
    this.#render(Date.now());
  }

  onSnapshot(reason: SnapshotReason, truncated: boolean): void {
    this.#snapshotSinceDrop = true;
    if (reason === 'new-epoch') this.#noteKey = 'resynced';
    else if (reason === 'history-lost') this.#noteKey = 'historyLost';
    else if (truncated) this.#noteKey = 'truncated';
    this.#render(Date.now());
  }

  /** Refreshes the countdown. */
  tick(nowMs: number): void {
    if (this.#current === 'reconnecting') this.#render(nowMs);
  }

  #render(nowMs: number): void {
    const seconds = Math.max(0, Math.ceil((this.#retryAtMs - nowMs) / 1000));
    const text = translate(this.#lang, STATE_KEYS[this.#current], {
      s: seconds,
      n: this.#attempt,
    });
    setText(this.#state, text);
    this.#state.dataset.state = this.#current;
    setText(this.#note, this.#noteKey === undefined ? '' : translate(this.#lang, this.#noteKey));
    if (this.#noteKey !== undefined) this.#note.dataset.note = this.#noteKey;
  }
}

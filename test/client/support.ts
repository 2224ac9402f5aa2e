/**
 * A RelayClient wired to record everything it reports, with a way to wait for a condition
 * that re-checks after each report instead of sleeping.
 */
import WebSocket from 'ws';
import { RelayClient } from '../../src/client/index.js';
import type { ClientState, SnapshotInfo, StateInfo } from '../../src/client/listeners.js';
import type { RelayClientOptions } from '../../src/client/options.js';
import type { RelayEvent } from '../../src/events/event.js';

/** Everything one client reported, in order. */
export class RecordedClient {
  readonly client: RelayClient;
  readonly events: RelayEvent[] = [];
  readonly snapshots: SnapshotInfo[] = [];
  readonly states: { state: ClientState; info: StateInfo }[] = [];
  readonly errors: Error[] = [];
  #checks = new Set<() => void>();

  constructor(options: RelayClientOptions) {
    this.client = new RelayClient({
      WebSocket,
      minReconnectDelayMs: 10,
      maxReconnectDelayMs: 100,
      ...options,
    });
    this.client.on('event', (event) => this.#record(() => this.events.push(event)));
    this.client.on('snapshot', (info) => this.#record(() => this.snapshots.push(info)));
    this.client.on('state', (state, info) => this.#record(() => this.states.push({ state, info })));
    this.client.on('error', (error) => this.#record(() => this.errors.push(error)));
  }

  /** Resolves once `condition` holds, checked now and after every report; rejects after `timeoutMs`. */
  waitFor(what: string, condition: () => boolean, timeoutMs = 8000): Promise<void> {
    if (condition()) return Promise.resolve();

    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        this.#checks.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#checks.delete(check);
        const states = this.states.map((entry) => entry.state).join(',');
        reject(
          new Error(
            `timed out waiting for ${what}; states ${states}; errors ${this.errors.map(String).join('; ')}`,
          ),
        );
      }, timeoutMs);
      this.#checks.add(check);
    });
  }

  /** Resolves once the client reached `state` for the `count`-th time. */
  waitForState(state: ClientState, count = 1): Promise<void> {
    return this.waitFor(`state ${state} ×${count}`, () => this.statesNamed(state).length >= count);
  }

  statesNamed(state: ClientState): StateInfo[] {
    return this.states.filter((entry) => entry.state === state).map((entry) => entry.info);
  }

  #record(push: () => void): void {
    push();
    for (const check of [...this.#checks]) check();
  }
}

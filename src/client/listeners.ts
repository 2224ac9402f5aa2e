/**
 * A small typed listener registry. A throwing listener never breaks the client: its error goes
 * to the `error` listeners, and an `error` listener's own throw is dropped to avoid a loop.
 */
import type { RelayEvent } from '../events/event.js';
import type { TaskView } from '../events/task-view.js';
import { RelayClientError } from './client-error.js';

export type ClientState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** The cause of a snapshot replacing the client's tasks. */
export type SnapshotReason = 'initial' | 'history-lost' | 'new-epoch';

export interface SnapshotInfo {
  reason: SnapshotReason;
  tasks: TaskView[];
  epoch: string;
  seq: number;
  /** Whether the relay cut the snapshot at `RELAY_MAX_SNAPSHOT_TASKS`. */
  truncated: boolean;
}

/** Details of a state change: the retry count, the delay before it, and what ended the socket. */
export interface StateInfo {
  attempt: number;
  delayMs?: number;
  code?: number;
  reason?: string;
}

/** Listener signatures by event name. */
export interface ClientListeners {
  event: (event: RelayEvent) => void;
  snapshot: (info: SnapshotInfo) => void;
  state: (state: ClientState, info: StateInfo) => void;
  error: (error: Error) => void;
}

export type ListenerType = keyof ClientListeners;

/** Listeners by type, called in the order they were added. */
export class Listeners {
  readonly #byType: { [K in ListenerType]: Set<ClientListeners[K]> } = {
    event: new Set(),
    snapshot: new Set(),
    state: new Set(),
    error: new Set(),
  };

  /** Adds a listener; returns the function that removes it. */
  add<K extends ListenerType>(type: K, listener: ClientListeners[K]): () => void {
    const set = this.#byType[type] as Set<ClientListeners[K]>;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<K extends ListenerType>(type: K, ...args: Parameters<ClientListeners[K]>): void {
    const set = this.#byType[type] as Set<(...values: Parameters<ClientListeners[K]>) => void>;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        if (type === 'error') continue;
        this.emit(
          'error',
          new RelayClientError('RS_CLIENT_LISTENER_FAILED', `a ${type} listener threw`, {
            cause: error,
          }),
        );
      }
    }
  }
}

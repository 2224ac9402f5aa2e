/**
 * The render-relay client SDK: `import { RelayClient } from 'render-relay'`.
 */
export type { EventType, RelayEvent, TaskIdentity } from '../events/event.js';
export type { TaskView } from '../events/task-view.js';
export { reconnectDelayMs, retryCeilingMs } from './backoff.js';
export { type ClientErrorCode, RelayClientError } from './client-error.js';
export type {
  ClientState,
  SnapshotInfo,
  SnapshotReason,
  StateInfo,
} from './listeners.js';
export type { ClientFilter, RelayClientOptions } from './options.js';
export { RelayClient } from './relay-client.js';
export type { SocketEventLike, SocketLike, WebSocketConstructorLike } from './transport.js';

/**
 * The interface of a relay subscription that the bridge consumes. `RelayClient` from `src/client/` has this
 * shape, and tests pass an in-process fake.
 */
import type { RelayEvent } from '../events/event.js';

/** The current fields of one task, as far as the source has them. */
export type TaskFields = Readonly<Record<string, unknown>>;

/** A stream of relay events. */
export interface RelayEventSource {
  on(name: 'event', listener: (event: RelayEvent) => void): unknown;
  on(name: 'state', listener: (state: string, info?: unknown) => void): unknown;
  start(): void;
  close(): void;
  /** Current task states, when the source keeps them (the SDK does). */
  readonly tasks?: ReadonlyMap<number, TaskFields>;
}

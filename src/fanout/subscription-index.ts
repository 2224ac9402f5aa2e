/**
 * The subscription index: finds the subscriptions that may want an event without looking at
 * the others. Each subscription is filed under one dimension of its filter (owners first, then
 * agencies, then task ids) or, with none of those, in the catch-all set. Candidates still go
 * through the full filter; the index only keeps fan-out cost in proportion to likely matches.
 */
import type { RelayEvent } from '../events/event.js';
import type { SubscriptionFilter } from './filter.js';

export interface Indexed {
  readonly filter: SubscriptionFilter;
}

type Dimension = 'owners' | 'agencies' | 'taskIds';

const DIMENSIONS: readonly Dimension[] = ['owners', 'agencies', 'taskIds'];

/** Subscriptions by owner, by agency, by task id, plus the catch-all set. */
export class SubscriptionIndex<S extends Indexed> {
  readonly #buckets: Record<Dimension, Map<number, Set<S>>> = {
    owners: new Map(),
    agencies: new Map(),
    taskIds: new Map(),
  };
  readonly #catchAll = new Set<S>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(subscription: S): void {
    this.#size += 1;
    const dimension = dimensionOf(subscription.filter);
    if (dimension === undefined) {
      this.#catchAll.add(subscription);
      return;
    }

    const buckets = this.#buckets[dimension];
    for (const key of subscription.filter[dimension] ?? []) {
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        bucket = new Set();
        buckets.set(key, bucket);
      }
      bucket.add(subscription);
    }
  }

  remove(subscription: S): void {
    this.#size -= 1;
    const dimension = dimensionOf(subscription.filter);
    if (dimension === undefined) {
      this.#catchAll.delete(subscription);
      return;
    }

    const buckets = this.#buckets[dimension];
    for (const key of subscription.filter[dimension] ?? []) {
      const bucket = buckets.get(key);
      bucket?.delete(subscription);
      if (bucket?.size === 0) buckets.delete(key);
    }
  }

  /** Yields every subscription that may match the event; each at most once. */
  *candidates(event: RelayEvent): Generator<S> {
    yield* this.#catchAll;
    yield* this.#buckets.owners.get(event.task.owner) ?? [];
    yield* this.#buckets.agencies.get(event.task.agencyUserId) ?? [];
    yield* this.#buckets.taskIds.get(event.task.id) ?? [];
  }
}

function dimensionOf(filter: SubscriptionFilter): Dimension | undefined {
  return DIMENSIONS.find((dimension) => filter[dimension] !== undefined);
}

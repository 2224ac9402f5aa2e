/**
 * The subscription index: finds the subscriptions that may want an event without looking at
 * the others. Each subscription is filed under one dimension of its filter (owners first, then
 * agencies, then task ids), or under its scope, or in the catch-all set. Candidates still go
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
    const placements = placementsOf(subscription.filter);
    if (placements.length === 0) {
      this.#catchAll.add(subscription);
      return;
    }

    for (const [dimension, keys] of placements) {
      const buckets = this.#buckets[dimension];
      for (const key of keys) {
        let bucket = buckets.get(key);
        if (bucket === undefined) {
          bucket = new Set();
          buckets.set(key, bucket);
        }
        bucket.add(subscription);
      }
    }
  }

  remove(subscription: S): void {
    this.#size -= 1;
    const placements = placementsOf(subscription.filter);
    if (placements.length === 0) {
      this.#catchAll.delete(subscription);
      return;
    }

    for (const [dimension, keys] of placements) {
      const buckets = this.#buckets[dimension];
      for (const key of keys) {
        const bucket = buckets.get(key);
        bucket?.delete(subscription);
        if (bucket?.size === 0) buckets.delete(key);
      }
    }
  }

  /**
   * Yields every subscription that may match the event. A subscription filed by a scope that
   * names both owners and agencies can come twice; the hub sends an event once per session anyway.
   */
  *candidates(event: RelayEvent): Generator<S> {
    yield* this.#catchAll;
    yield* this.#buckets.owners.get(event.task.owner) ?? [];
    yield* this.#buckets.agencies.get(event.task.agencyUserId) ?? [];
    yield* this.#buckets.taskIds.get(event.task.id) ?? [];
  }
}

/**
 * Returns where a subscription is filed: under its first filter dimension, or else under its
 * scope's owners and agencies (a task matching either is visible). With neither, the list is
 * empty and the subscription goes in the catch-all set.
 */
function placementsOf(filter: SubscriptionFilter): [Dimension, ReadonlySet<number>][] {
  const dimension = DIMENSIONS.find((name) => filter[name] !== undefined);
  if (dimension !== undefined) return [[dimension, filter[dimension] as ReadonlySet<number>]];

  const scope = filter.scope;
  if (scope === undefined || scope.admin) return [];
  return [
    ['owners', scope.owners],
    ['agencies', scope.agencies],
  ];
}

/**
 * Hands out the simulator's tasks one after another: ids counting up from the first task id,
 * owners taken in turn, each owner belonging to one agency. Each task draws from its own
 * random stream, so its life and faults are the same for a seed however tasks interleave.
 */
import { type Delivery, type DeliveryFaults, planDeliveries } from './deliveries.js';
import type { LifeExtras } from './life-writer.js';
import { chance, createRandom, deriveSeed } from './random.js';
import { generateLife } from './task-life.js';

/** First owner id: the owner of the platform's documented example. */
export const FIRST_OWNER_ID = 1601;
/** First agency id: the AgencyUserID of the platform's documented example. */
export const FIRST_AGENCY_ID = 3;

/** Probability that a task is a video; the rest are pictures. */
const VIDEO_PROBABILITY = 0.6;

export interface TaskSourceOptions extends DeliveryFaults, Partial<LifeExtras> {
  readonly seed: number;
  readonly firstTaskId: number;
  readonly owners: number;
  readonly agencies: number;
  readonly maxFrames: number;
  /** Unix seconds for a new task's CreateTime. @default the wall clock */
  readonly now?: () => number;
}

/** One task of a run and the deliveries still to send. */
export interface PlannedTask {
  readonly id: number;
  readonly deliveries: readonly Delivery[];
}

/** Returns the owner and agency of the task with the given position in the run (0 first). */
export function ownerOf(
  ordinal: number,
  owners: number,
  agencies: number,
): { owner: number; agencyUserId: number } {
  const ownerIndex = ordinal % owners;
  return {
    owner: FIRST_OWNER_ID + ownerIndex,
    agencyUserId: FIRST_AGENCY_ID + (ownerIndex % agencies),
  };
}

/** Creates the tasks of a run in order. */
export class TaskSource {
  readonly #options: TaskSourceOptions;
  readonly #now: () => number;
  #ordinal = 0;

  constructor(options: TaskSourceOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  /** Number of tasks created so far. */
  get created(): number {
    return this.#ordinal;
  }

  /** Creates the next task and plans its deliveries. */
  next(): PlannedTask {
    const { seed, firstTaskId, owners, agencies, maxFrames } = this.#options;
    const ordinal = this.#ordinal;
    this.#ordinal += 1;

    const id = firstTaskId + ordinal;
    const random = createRandom(deriveSeed(seed, id));
    const { owner, agencyUserId } = ownerOf(ordinal, owners, agencies);
    const extras = {
      frames: this.#options.frames ?? false,
      payments: this.#options.payments ?? false,
    };
    const callbacks = generateLife(
      {
        id,
        owner,
        ownerName: `user${owner}`,
        agencyUserId,
        type: chance(random, VIDEO_PROBABILITY) ? 0 : 1,
        createTime: this.#now(),
        random,
        maxFrames,
      },
      extras,
    );

    return { id, deliveries: planDeliveries(callbacks, random, this.#options) };
  }
}

/**
 * The bridge: routes each relay event to the robots whose filter and `notify` list match, and
 * hands the notice to that robot's queue.
 */

import type { RelayEvent } from '../events/event.js';
import { matchesEvent } from '../fanout/filter.js';
import type { Logger } from '../observability/log.js';
import { type Clock, systemClock } from './clock.js';
import type { BridgeConfig, RobotConfig } from './config.js';
import { type FetchLike, httpDeliver, printDeliver } from './deliver.js';
import { PLATFORMS } from './formats/index.js';
import { isStatusChange, noticeOf } from './notice.js';
import { redactUrl } from './redact.js';
import { RobotQueue, type RobotQueueOptions } from './robot-queue.js';
import type { RelayEventSource } from './source.js';
import { TaskFacts } from './task-facts.js';

export interface BridgeOptions {
  readonly source: RelayEventSource;
  readonly config: BridgeConfig;
  readonly logger: Logger;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Replaces the HTTP client, for tests. */
  readonly fetch?: FetchLike;
  /** Prints messages here instead of posting them. */
  readonly dryRun?: (text: string) => void;
  /** Queue settings applied to every robot, for tests and tuning. */
  readonly queue?: Partial<Omit<RobotQueueOptions, 'deliver' | 'clock' | 'logger'>>;
}

export interface Bridge {
  /** Queues by robot name. */
  readonly queues: ReadonlyMap<string, RobotQueue>;
  start(): void;
  /** Closes the relay subscription, waits up to `drainMs` for queued posts, then stops. */
  stop(drainMs: number): Promise<void>;
}

/** Creates a bridge; nothing is subscribed or posted before `start`. */
export function createBridge(options: BridgeOptions): Bridge {
  const clock = options.clock ?? systemClock;
  const logger = options.logger.child({ component: 'bridge' });
  const facts = new TaskFacts();
  const robots = options.config.robots.map((robot) => ({
    robot,
    queue: queueFor(robot, options, clock, logger),
  }));
  const queues = new Map(robots.map(({ robot, queue }) => [robot.name, queue]));

  const onEvent = (event: RelayEvent): void => {
    facts.apply(event, options.source.tasks?.get(event.task.id));
    for (const { robot, queue } of robots) {
      if (!isStatusChange(event, robot.notify)) continue;
      if (!matchesEvent({ ...robot.filter, frames: false }, event)) continue;
      queue.push(noticeOf(event, facts.get(event.task.id)));
    }
  };

  return {
    queues,
    start() {
      options.source.on('event', onEvent);
      options.source.on('state', (state) => logger.info({ state }, 'relay connection state'));
      logger.info(
        { robots: robots.map(({ robot }) => robot.name), dryRun: options.dryRun !== undefined },
        'bridge started',
      );
      options.source.start();
    },
    async stop(drainMs) {
      options.source.close();
      const drained = await Promise.all(robots.map(({ queue }) => queue.drain(drainMs)));
      for (const { robot, queue } of robots) {
        if (queue.size > 0) {
          logger.warn(
            { robot: robot.name, notices: queue.size },
            'bridge stopped; notices not posted',
          );
        }
        queue.close();
      }
      logger.info({ drained: drained.every(Boolean) }, 'bridge stopped');
    },
  };
}

function queueFor(
  robot: RobotConfig,
  options: BridgeOptions,
  clock: Clock,
  logger: Logger,
): RobotQueue {
  const platform = PLATFORMS[robot.kind];
  const perMinute = Math.min(robot.perMinute ?? platform.perMinute, platform.perMinute);
  const deliver =
    options.dryRun === undefined
      ? httpDeliver(robot, {
          now: () => clock.now(),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        })
      : printDeliver(robot, options.dryRun);

  return new RobotQueue({
    deliver,
    clock,
    logger: logger.child({ robot: robot.name, kind: robot.kind, url: redactUrl(robot.url) }),
    perMinute,
    burst: Math.max(1, Math.min(platform.burst, perMinute - 1)),
    throttlePauseMs: platform.throttlePauseMs,
    ...options.queue,
  });
}

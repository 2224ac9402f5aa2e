/**
 * The simulator's options, their defaults and their checks. Everything is checked before the
 * first request, so a bad option fails the call at once instead of midway through a run.
 */
import { randomInt as cryptoRandomInt } from 'node:crypto';
import type { SimulatorLogger } from './failure-log.js';
import { KEY_STYLES, type KeyStyle } from './key-style.js';
import { DEFAULT_MAX_FRAMES, MAX_FRAMES_LIMIT } from './task-life.js';
import { describeValue, invalidOption, requireInteger, requireNumber } from './validate.js';

/** Settings of one simulator run. */
export interface SimulatorOptions {
  /**
   * Base URL of the relay, e.g. `http://127.0.0.1:8080`. Callbacks go to `{url}/api/task/<route>`.
   */
  url: string;
  /**
   * Task lives to send, from 1 to 1000000. With `loop`, new tasks follow these until `signal`
   * aborts.
   */
  tasks: number;
  /**
   * Maximum requests per second, from 0.1 to 10000. After idle time, up to ratePerSecond / 100
   * requests (at least 1) may start back to back.
   *
   * NOTE: one simulator reached about 1000 to 2000 requests per second (Node 20.20 fetch, 2
   * cores, a node:http server on 127.0.0.1), so higher rates need several processes.
   */
  ratePerSecond: number;
  /** Platform users, ids 1601 upward, from 1 to 10000. @default 4 */
  owners?: number;
  /**
   * Dealers the owners are spread over, ids 3 upward, from 1 to `owners`. @default min(2, owners)
   */
  agencies?: number;
  /** Key spelling of the bodies. @default 'lower' */
  keyStyle?: KeyStyle;
  /** Probability, from 0 to 1, that a callback is sent twice. @default 0.05 */
  resendRatio?: number;
  /**
   * Probability, from 0 to 1, that a callback arrives after a newer one of its task. @default 0.02
   */
  lateRatio?: number;
  /** Seed of all random choices, from 0 to 4294967295. @default a random seed, logged at start */
  seed?: number;
  /** Maximum frame count of a video task, from 1 to 1000. @default 240 */
  maxFrames?: number;
  /** Id of the first task. Later tasks count up from it. From 1 to 9000000000000000. @default 1 */
  firstTaskId?: number;
  /** Requests in flight at once, from 1 to 1000. @default 8 */
  concurrency?: number;
  /**
   * Task lives in progress at once, whose callbacks interleave, from 1 to 10000. @default
   * min(tasks, 32)
   */
  activeTasks?: number;
  /** Time limit of each request in milliseconds, from 100 to 600000. @default 10000 */
  requestTimeoutMs?: number;
  /**
   * Starts new tasks, with new ids, after `tasks` lives until `signal` aborts. Requires `signal`.
   * @default false
   */
  loop?: boolean;
  /**
   * Also sends frame callbacks (createrenderframeinfo and updaterenderframeinfo, two per frame of
   * a video task, Owner and AgencyUserID 0). @default false
   */
  frames?: boolean;
  /** Also sends a paymentinfo callback when a task completes. @default false */
  payments?: boolean;
  /** Stops the run: no new requests start and requests in flight are cut off. */
  signal?: AbortSignal;
  /** Receives the start and end of the run and failed requests. @default no logging */
  logger?: SimulatorLogger;
}

/** The options with defaults filled in and every value checked. */
export interface ResolvedSimulatorOptions {
  /** The URL without trailing slashes. */
  readonly url: string;
  readonly tasks: number;
  readonly ratePerSecond: number;
  readonly owners: number;
  readonly agencies: number;
  readonly keyStyle: KeyStyle;
  readonly resendRatio: number;
  readonly lateRatio: number;
  readonly seed: number;
  readonly maxFrames: number;
  readonly firstTaskId: number;
  readonly concurrency: number;
  readonly activeTasks: number;
  readonly requestTimeoutMs: number;
  readonly loop: boolean;
  readonly frames: boolean;
  readonly payments: boolean;
  readonly signal: AbortSignal | undefined;
  readonly logger: SimulatorLogger | undefined;
}

/** Leaves 7 × 10^12 ids above the first task id before ids pass Number.MAX_SAFE_INTEGER. */
const MAX_FIRST_TASK_ID = 9_000_000_000_000_000;
const MAX_SEED = 0xffff_ffff;

/** Fills in defaults and checks every option; throws RangeError naming the first invalid one. */
export function resolveSimulatorOptions(options: SimulatorOptions): ResolvedSimulatorOptions {
  const url = requireHttpUrl(options.url);
  const tasks = requireInteger('tasks', options.tasks, 1, 1_000_000);
  const owners = requireInteger('owners', options.owners ?? 4, 1, 10_000);
  const loop = options.loop ?? false;
  if (typeof loop !== 'boolean') throw invalidOption('loop', 'true or false', loop);
  if (loop && options.signal === undefined) {
    throw invalidOption(
      'loop',
      'false when no signal is given (pass a signal to stop the loop)',
      loop,
    );
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw invalidOption('signal', 'an AbortSignal', options.signal);
  }

  return {
    url,
    tasks,
    ratePerSecond: requireNumber('ratePerSecond', options.ratePerSecond, 0.1, 10_000),
    owners,
    agencies: requireInteger('agencies', options.agencies ?? Math.min(2, owners), 1, owners),
    keyStyle: requireKeyStyle(options.keyStyle ?? 'lower'),
    resendRatio: requireNumber('resendRatio', options.resendRatio ?? 0.05, 0, 1),
    lateRatio: requireNumber('lateRatio', options.lateRatio ?? 0.02, 0, 1),
    seed: requireInteger('seed', options.seed ?? cryptoRandomInt(MAX_SEED), 0, MAX_SEED),
    maxFrames: requireInteger(
      'maxFrames',
      options.maxFrames ?? DEFAULT_MAX_FRAMES,
      1,
      MAX_FRAMES_LIMIT,
    ),
    firstTaskId: requireInteger('firstTaskId', options.firstTaskId ?? 1, 1, MAX_FIRST_TASK_ID),
    concurrency: requireInteger('concurrency', options.concurrency ?? 8, 1, 1000),
    activeTasks: requireInteger(
      'activeTasks',
      options.activeTasks ?? Math.min(tasks, 32),
      1,
      10_000,
    ),
    requestTimeoutMs: requireInteger(
      'requestTimeoutMs',
      options.requestTimeoutMs ?? 10_000,
      100,
      600_000,
    ),
    loop,
    frames: requireBoolean('frames', options.frames ?? false),
    payments: requireBoolean('payments', options.payments ?? false),
    signal: options.signal,
    logger: options.logger,
  };
}

function requireHttpUrl(value: unknown): string {
  const expected = 'an absolute http or https URL such as http://127.0.0.1:8080';
  if (typeof value !== 'string') throw invalidOption('url', expected, value);

  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw invalidOption('url', expected, value);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw invalidOption('url', expected, value);
  if (parsed.username !== '' || parsed.password !== '') {
    // The message shows the URL, so the password is masked.
    if (parsed.password !== '') parsed.password = '***';
    throw invalidOption(
      'url',
      'a URL without user name or password, which fetch rejects',
      parsed.href,
    );
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw invalidOption(
      'url',
      'a URL without query or fragment, because routes are appended to it',
      value,
    );
  }

  return value.replace(/\/+$/, '');
}

function requireBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalidOption(name, 'true or false', value);
  return value;
}

function requireKeyStyle(value: unknown): KeyStyle {
  const style = KEY_STYLES.find((candidate) => candidate === value);
  if (style !== undefined) return style;

  throw invalidOption(
    'keyStyle',
    KEY_STYLES.map((candidate) => describeValue(candidate)).join(' or '),
    value,
  );
}

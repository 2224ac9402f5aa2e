/**
 * Generates one task's life as the platform reports it: the ordered callbacks from createinfo to
 * completion, failure or deletion, each carrying the full task state.
 *
 * A typical life is 0 pending (createinfo) → 8 queued → 6 uploading → 7 processing → 1 rendering,
 * with frames, output files, core-seconds and cost rising → 2 done with action 2. Some lives wait
 * for a dependency (5) before rendering, pause (3) and resume, fail (4), or end with deleteinfo.
 * Times are simulated: they start at `createTime` and advance by plausible durations, not by
 * the wall clock.
 */
import { Action, Status } from '../protocol/status.js';
import { type LifeExtras, LifeWriter, type RenderProfile } from './life-writer.js';
import { dateFolder, MAX_PASSES } from './output-files.js';
import { chance, pick, type Random, randomHex, randomInt } from './random.js';
import type { Callback, SimulatedCallback, TaskBody, TaskType } from './task-body.js';
import { invalidOption, requireInteger } from './validate.js';

/** Maximum number of callbacks in one life, whatever the frame count. */
export const MAX_CALLBACKS_PER_TASK = 300;

/** Default maximum frame count of a video task. */
export const DEFAULT_MAX_FRAMES = 240;

/** Largest accepted `maxFrames`. */
export const MAX_FRAMES_LIMIT = 1000;

/** Smallest frame count of a video task, unless `maxFrames` is smaller. */
const MIN_VIDEO_FRAMES = 24;

/**
 * Render progress callbacks per life. The other 20 of MAX_CALLBACKS_PER_TASK are status changes.
 */
const MAX_RENDER_STEPS = MAX_CALLBACKS_PER_TASK - 20;

const FAIL_PROBABILITY = 0.06;
const DELETE_PROBABILITY = 0.08;
const PAUSE_PROBABILITY = 0.15;
const DEPENDENCY_PROBABILITY = 0.1;
const LIGHT_JOB_PROBABILITY = 0.6;
/**
 * The platform's documented example is a done task with action 1, so some lives report completion
 * before the charge.
 */
const COMPLETION_BEFORE_CHARGE_PROBABILITY = 0.5;
/** Probability that a video task's first frame callback arrives before its createinfo. */
const FRAME_BEFORE_TASK_PROBABILITY = 0.2;

const NO_EXTRAS: LifeExtras = { frames: false, payments: false };

const TASK_NAMES = [
  'PrimerFrame_Box_modeling',
  '渲染任务_最终版',
  '客厅_效果图',
  'Exterior_Dusk_v2',
  '卧室夜景',
  'Product_Turntable',
  '办公楼_鸟瞰',
  'Kitchen_Interior',
];
const CAMERAS = ['Camera01', 'Camera02', 'VRayCam001'];
const CORES_PER_SERVER = [16, 24, 32];

/** Inputs of one task's life. */
export interface TaskLifeOptions {
  /** Task id, a positive safe integer. */
  readonly id: number;
  /** The user's id on the platform. */
  readonly owner: number;
  readonly ownerName: string;
  /** The user's id in the dealer's database. */
  readonly agencyUserId: number;
  readonly type: TaskType;
  /** Unix seconds of the createinfo callback. */
  readonly createTime: number;
  /** Source of every choice, so the same seed gives the same life. */
  readonly random: Random;
  /** Maximum frame count of a video, from 1 to 1000. @default 240 */
  readonly maxFrames?: number;
}

/**
 * End of a life: done, failed or deleted. Failure and deletion come before the render step with
 * index `step`. For deletion, -1 is before rendering and the step count is after completion.
 */
type Ending =
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly step: number }
  | { readonly kind: 'deleted'; readonly step: number };

/**
 * Generates the callbacks of one task's life, in send order.
 *
 * FrameCompleted, RenderTimeThreadTotal, Gross, LightJobGross and the number of output files
 * never decrease, and a life has at most MAX_CALLBACKS_PER_TASK callbacks.
 */
export function generateTaskLife(options: TaskLifeOptions): Callback[] {
  // Without extras a life contains task callbacks only.
  return generateLife(options, NO_EXTRAS) as Callback[];
}

/**
 * Generates the callbacks of one task's life with the frame and payment callbacks that
 * `extras` enables. With frames, the first frame callback of some video tasks is moved before createinfo,
 * as when the platform's requests overtake each other. MAX_CALLBACKS_PER_TASK counts task
 * callbacks only; frames add two per frame.
 */
export function generateLife(options: TaskLifeOptions, extras: LifeExtras): SimulatedCallback[] {
  const callbacks = writeLife(options, extras);
  if (!extras.frames || !chance(options.random, FRAME_BEFORE_TASK_PROBABILITY)) return callbacks;

  const first = callbacks.findIndex((callback) => callback.route === 'createrenderframeinfo');
  if (first === -1) return callbacks;
  const [frame] = callbacks.splice(first, 1) as [SimulatedCallback];
  return [frame, ...callbacks];
}

function writeLife(options: TaskLifeOptions, extras: LifeExtras): SimulatedCallback[] {
  requireInteger('id', options.id, 1, Number.MAX_SAFE_INTEGER);
  const maxFrames = requireInteger(
    'maxFrames',
    options.maxFrames ?? DEFAULT_MAX_FRAMES,
    1,
    MAX_FRAMES_LIMIT,
  );
  if (options.type !== 0 && options.type !== 1) throw invalidOption('type', '0 or 1', options.type);

  const { random } = options;
  const frameCount =
    options.type === 1 ? 1 : randomInt(random, Math.min(MIN_VIDEO_FRAMES, maxFrames), maxFrames);
  const steps = splitIntoSteps(frameCount);
  const ending = chooseEnding(random, steps.length);
  const body = createInitialBody(options, frameCount);
  const profile = createProfile(random);
  const writer = new LifeWriter(body, profile, random, extras);

  writer.post('createinfo', Status.PENDING, Action.CREATE);
  writer.advanceClock(1, 10);
  writer.post('updateinfo', Status.QUEUED, Action.UPDATE);
  writer.advanceClock(1, 30);
  writer.post('updateinfo', Status.UPLOADING, Action.UPDATE);
  writer.advanceClock(10, 300);
  writer.post('updateinfo', Status.PROCESSING, Action.UPDATE);
  if (chance(random, DEPENDENCY_PROBABILITY)) {
    writer.advanceClock(5, 60);
    writer.post('updateinfo', Status.WAITING, Action.UPDATE);
  }
  if (ending.kind === 'deleted' && ending.step === -1) return writer.delete();

  writer.advanceClock(5, 120);
  writer.startRender(chance(random, LIGHT_JOB_PROBABILITY));
  const pauseStep = chance(random, PAUSE_PROBABILITY) ? randomInt(random, 0, steps.length - 1) : -1;

  for (const [index, frames] of steps.entries()) {
    if (ending.kind === 'deleted' && ending.step === index) return writer.delete();
    if (ending.kind === 'failed' && ending.step === index) return writer.fail();
    if (index === pauseStep) writer.pauseAndResume();

    writer.renderFrames(frames);
  }

  writer.complete(chance(random, COMPLETION_BEFORE_CHARGE_PROBABILITY));
  if (ending.kind === 'deleted') return writer.delete();

  return writer.callbacks;
}

/**
 * Splits a frame count into progress steps, several frames each when one per frame would pass
 * MAX_RENDER_STEPS.
 */
function splitIntoSteps(frameCount: number): number[] {
  const framesPerStep = Math.ceil(frameCount / MAX_RENDER_STEPS);
  const steps: number[] = [];

  for (let done = 0; done < frameCount; done += framesPerStep) {
    steps.push(Math.min(framesPerStep, frameCount - done));
  }
  return steps;
}

function chooseEnding(random: Random, stepCount: number): Ending {
  if (chance(random, FAIL_PROBABILITY))
    return { kind: 'failed', step: randomInt(random, 0, stepCount - 1) };
  // A step index of stepCount deletes the task after it is done.
  if (chance(random, DELETE_PROBABILITY))
    return { kind: 'deleted', step: randomInt(random, -1, stepCount) };

  return { kind: 'done' };
}

function createInitialBody(options: TaskLifeOptions, frameCount: number): TaskBody {
  const { random } = options;
  const services = randomInt(random, 1, 8);

  return {
    ID: options.id,
    Name: pick(random, TASK_NAMES),
    Owner: options.owner,
    OwnerName: options.ownerName,
    AgencyUserID: options.agencyUserId,
    CreateTime: options.createTime,
    Type: options.type,
    Status: Status.PENDING,
    RenderOutputFiles: [],
    FrameCount: frameCount,
    Gross: 0,
    FrameCompleted: 0,
    StartTime: 0,
    CompletedTime: 0,
    MachineLimit: services * pick(random, CORES_PER_SERVER),
    Services: services,
    RenderTimeThreadTotal: 0,
    LightJobGross: 0,
    LightJobRenderTimeThread: 0,
    RenderZipFile: `${dateFolder(options.createTime)}/${randomUuid(random)}.zip`,
    Camera: pick(random, CAMERAS),
    Action: Action.CREATE,
  };
}

function createProfile(random: Random): RenderProfile {
  const passes = randomInt(random, 1, MAX_PASSES);
  const passSizes = Array.from({ length: passes }, () => randomInt(random, 40_000, 4_000_000));

  return { secondsPerFrame: randomInt(random, 20, 240), passSizes };
}

/** Returns a version 4 UUID drawn from `random`, so it is reproducible from the seed. */
function randomUuid(random: Random): string {
  const timeLow = randomHex(random, 8);
  const timeMid = randomHex(random, 4);
  const timeHigh = `4${randomHex(random, 3)}`;
  const clockSequence = `${pick(random, ['8', '9', 'a', 'b'])}${randomHex(random, 3)}`;
  return `${timeLow}-${timeMid}-${timeHigh}-${clockSequence}-${randomHex(random, 12)}`;
}

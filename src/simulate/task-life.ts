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
import { dateFolder, frameFiles, framesFolder, MAX_PASSES } from './output-files.js';
import { chance, pick, type Random, randomHex, randomInt } from './random.js';
import type { Callback, OutputFile, Route, TaskBody, TaskType } from './task-body.js';
import { invalidOption, requireInteger } from './validate.js';

/** Maximum number of callbacks in one life, whatever the frame count. */
export const MAX_CALLBACKS_PER_TASK = 300;

/** Default maximum frame count of a video task. */
export const DEFAULT_MAX_FRAMES = 240;

/** Largest accepted `maxFrames`. */
export const MAX_FRAMES_LIMIT = 1000;

/** Smallest frame count of a video task, unless `maxFrames` is smaller. */
const MIN_VIDEO_FRAMES = 24;

/** Render progress callbacks per life. The other 20 of MAX_CALLBACKS_PER_TASK are status changes. */
const MAX_RENDER_STEPS = MAX_CALLBACKS_PER_TASK - 20;

/** Core-seconds per cost unit. This rate gives the Gross 38 and LightJobGross 2 of the documented example. */
const CORE_SECONDS_PER_COST_UNIT = 290;

const FAIL_PROBABILITY = 0.06;
const DELETE_PROBABILITY = 0.08;
const PAUSE_PROBABILITY = 0.15;
const DEPENDENCY_PROBABILITY = 0.1;
const LIGHT_JOB_PROBABILITY = 0.6;
/** The documented example is a done task with action 1, so some lives report completion before the charge. */
const COMPLETION_BEFORE_CHARGE_PROBABILITY = 0.5;

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

/** What one task's life is generated from. */
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

/** Where a life ends. Deletion happens before the render step with that index; -1 is before rendering. */
type Ending =
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly step: number }
  | { readonly kind: 'deleted'; readonly step: number };

/** How the task renders: the same for every frame of the life. */
interface RenderProfile {
  readonly coresPerServer: number;
  /** Wall seconds one server spends on one frame. */
  readonly secondsPerFrame: number;
  /** Typical bytes of each pass's file, one entry per pass. */
  readonly passSizes: readonly number[];
  readonly framesFolder: string;
}

/**
 * Generates the callbacks of one task's life, in send order.
 *
 * FrameCompleted, RenderTimeThreadTotal, Gross, LightJobGross and the number of output files
 * never decrease, and a life has at most MAX_CALLBACKS_PER_TASK callbacks.
 */
export function generateTaskLife(options: TaskLifeOptions): Callback[] {
  requireInteger('id', options.id, 1, Number.MAX_SAFE_INTEGER);
  const maxFrames = requireInteger('maxFrames', options.maxFrames ?? DEFAULT_MAX_FRAMES, 1, MAX_FRAMES_LIMIT);
  if (options.type !== 0 && options.type !== 1) throw invalidOption('type', '0 or 1', options.type);

  const { random } = options;
  const frameCount = options.type === 1 ? 1 : randomInt(random, Math.min(MIN_VIDEO_FRAMES, maxFrames), maxFrames);
  const steps = splitIntoSteps(frameCount);
  const ending = chooseEnding(random, steps.length);
  const writer = new LifeWriter(createInitialBody(options, frameCount), createProfile(options, random), random);

  writer.post('createinfo', Status.PENDING, Action.CREATE);
  writer.wait(1, 10);
  writer.post('updateinfo', Status.QUEUED, Action.UPDATE);
  writer.wait(1, 30);
  writer.post('updateinfo', Status.UPLOADING, Action.UPDATE);
  writer.wait(10, 300);
  writer.post('updateinfo', Status.PROCESSING, Action.UPDATE);
  if (chance(random, DEPENDENCY_PROBABILITY)) {
    writer.wait(5, 60);
    writer.post('updateinfo', Status.WAITING, Action.UPDATE);
  }
  if (ending.kind === 'deleted' && ending.step === -1) return writer.delete();

  writer.wait(5, 120);
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

/** Splits a frame count into progress steps, several frames each when one per frame would pass MAX_RENDER_STEPS. */
function splitIntoSteps(frameCount: number): number[] {
  const framesPerStep = Math.ceil(frameCount / MAX_RENDER_STEPS);
  const steps: number[] = [];

  for (let done = 0; done < frameCount; done += framesPerStep) {
    steps.push(Math.min(framesPerStep, frameCount - done));
  }
  return steps;
}

function chooseEnding(random: Random, stepCount: number): Ending {
  if (chance(random, FAIL_PROBABILITY)) return { kind: 'failed', step: randomInt(random, 0, stepCount - 1) };
  // A step index of stepCount deletes the task after it is done.
  if (chance(random, DELETE_PROBABILITY)) return { kind: 'deleted', step: randomInt(random, -1, stepCount) };

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

function createProfile(options: TaskLifeOptions, random: Random): RenderProfile {
  const passes = randomInt(random, 1, MAX_PASSES);
  const passSizes = Array.from({ length: passes }, () => randomInt(random, 40_000, 4_000_000));

  return {
    coresPerServer: pick(random, CORES_PER_SERVER),
    secondsPerFrame: randomInt(random, 20, 240),
    passSizes,
    // The folder needs the name, which createInitialBody picks, so it is filled in by LifeWriter.
    framesFolder: '',
  };
}

/** Returns a version 4 UUID drawn from `random`, so it is reproducible from the seed. */
function randomUuid(random: Random): string {
  const variant = pick(random, ['8', '9', 'a', 'b']);
  return `${randomHex(random, 8)}-${randomHex(random, 4)}-4${randomHex(random, 3)}-${variant}${randomHex(random, 3)}-${randomHex(random, 12)}`;
}

/** Applies the changes of a life to one task state and records a snapshot at each callback. */
class LifeWriter {
  readonly callbacks: Callback[] = [];
  readonly #body: TaskBody;
  readonly #profile: RenderProfile;
  readonly #random: Random;
  readonly #files: OutputFile[] = [];
  #clock: number;

  constructor(body: TaskBody, profile: RenderProfile, random: Random) {
    this.#body = body;
    this.#profile = { ...profile, framesFolder: framesFolder(body.CreateTime, body.ID, body.Name) };
    this.#random = random;
    this.#clock = body.CreateTime;
  }

  /** Advances the simulated clock by a random number of seconds. */
  wait(minSeconds: number, maxSeconds: number): void {
    this.#clock += randomInt(this.#random, minSeconds, maxSeconds);
  }

  post(route: Route, status: number, action: number): void {
    this.#body.Status = status;
    this.#body.Action = action;
    // Files are immutable and shared, so a snapshot copies only the list.
    this.callbacks.push({ route, body: { ...this.#body, RenderOutputFiles: [...this.#files] } });
  }

  startRender(withLightJob: boolean): void {
    this.#body.StartTime = this.#clock;
    if (withLightJob) {
      const lightCoreSeconds = this.#profile.coresPerServer * randomInt(this.#random, 5, 60);
      this.#body.LightJobRenderTimeThread = lightCoreSeconds;
      this.#body.LightJobGross = costOf(lightCoreSeconds);
      this.#body.Gross = costOf(lightCoreSeconds);
    }
    this.post('updateinfo', Status.RENDERING, Action.UPDATE);
  }

  renderFrames(count: number): void {
    const { coresPerServer, secondsPerFrame, passSizes } = this.#profile;
    let coreSeconds = 0;

    for (let i = 0; i < count; i++) {
      const frame = this.#body.FrameCompleted + i;
      const frameSeconds = Math.round(secondsPerFrame * (0.8 + 0.4 * this.#random()));
      coreSeconds += frameSeconds * coresPerServer;
      this.#files.push(...frameFiles(this.#profile.framesFolder, frame, passSizes, this.#random));
    }
    // The servers render frames in parallel, one frame each at a time.
    this.#clock += Math.ceil(count / this.#body.Services) * secondsPerFrame;

    this.#body.FrameCompleted += count;
    this.#body.RenderTimeThreadTotal += coreSeconds;
    this.#body.Gross = costOf(this.#body.RenderTimeThreadTotal + this.#body.LightJobRenderTimeThread);
    this.post('updateinfo', Status.RENDERING, Action.UPDATE);
  }

  pauseAndResume(): void {
    this.wait(1, 60);
    this.post('updateinfo', Status.PAUSED, Action.UPDATE);
    this.wait(30, 3600);
    this.post('updateinfo', Status.RENDERING, Action.UPDATE);
  }

  /** Posts completion and the charge; with `reportFirst`, completion comes alone as action 1. */
  complete(reportFirst: boolean): void {
    this.wait(1, 30);
    this.#body.CompletedTime = this.#clock;
    if (reportFirst) this.post('updateinfo', Status.DONE, Action.UPDATE);

    this.post('updateinfo', Status.DONE, Action.COMPLETE_AND_CHARGE);
  }

  fail(): Callback[] {
    this.wait(1, 120);
    this.post('updateinfo', Status.FAILED, Action.UPDATE);
    return this.callbacks;
  }

  /** Posts deleteinfo with the state as it stands, which the platform does not reset. */
  delete(): Callback[] {
    this.wait(1, 600);
    this.post('deleteinfo', this.#body.Status, Action.DELETE);
    return this.callbacks;
  }
}

function costOf(coreSeconds: number): number {
  return Math.ceil(coreSeconds / CORE_SECONDS_PER_COST_UNIT);
}

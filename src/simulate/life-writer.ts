/**
 * Applies the changes of a task's life to one task state and records a full snapshot at each
 * callback. The counters only ever grow here, which keeps them monotonic within a life.
 */
import { Action, Status } from '../protocol/status.js';
import { frameFiles, framesFolder } from './output-files.js';
import { type Random, randomInt } from './random.js';
import type { Callback, OutputFile, Route, TaskBody } from './task-body.js';

/**
 * Core-seconds per cost unit. With it, the platform's documented example callback (10512
 * render and 480 light-cache core-seconds) costs Gross 38 and LightJobGross 2, as it states.
 */
const CORE_SECONDS_PER_COST_UNIT = 290;

/** Render parameters of one task, the same for every frame. */
export interface RenderProfile {
  /** Wall seconds one server spends on one frame. */
  readonly secondsPerFrame: number;
  /** Typical bytes of each pass's file, one entry per pass. */
  readonly passSizes: readonly number[];
}

/** The state of one task during its life, and the callbacks recorded so far. */
export class LifeWriter {
  readonly callbacks: Callback[] = [];
  readonly #body: TaskBody;
  readonly #profile: RenderProfile;
  readonly #random: Random;
  readonly #folder: string;
  readonly #files: OutputFile[] = [];
  #clock: number;

  constructor(body: TaskBody, profile: RenderProfile, random: Random) {
    this.#body = body;
    this.#profile = profile;
    this.#random = random;
    this.#folder = framesFolder(body.CreateTime, body.ID, body.Name);
    this.#clock = body.CreateTime;
  }

  /** Advances the simulated clock by a random number of seconds. */
  advanceClock(minSeconds: number, maxSeconds: number): void {
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
      const lightCoreSeconds = this.#coresPerServer() * randomInt(this.#random, 5, 60);
      this.#body.LightJobRenderTimeThread = lightCoreSeconds;
      this.#body.LightJobGross = costOf(lightCoreSeconds);
      this.#body.Gross = costOf(lightCoreSeconds);
    }
    this.post('updateinfo', Status.RENDERING, Action.UPDATE);
  }

  renderFrames(count: number): void {
    const { secondsPerFrame, passSizes } = this.#profile;
    const coresPerServer = this.#coresPerServer();
    let coreSeconds = 0;

    for (let i = 0; i < count; i++) {
      const frame = this.#body.FrameCompleted + i;
      const frameSeconds = Math.round(secondsPerFrame * (0.8 + 0.4 * this.#random()));
      coreSeconds += frameSeconds * coresPerServer;
      this.#files.push(...frameFiles(this.#folder, frame, passSizes, this.#random));
    }
    // The servers render frames in parallel, one frame each at a time.
    this.#clock += Math.ceil(count / this.#body.Services) * secondsPerFrame;

    this.#body.FrameCompleted += count;
    this.#body.RenderTimeThreadTotal += coreSeconds;
    this.#body.Gross = costOf(
      this.#body.RenderTimeThreadTotal + this.#body.LightJobRenderTimeThread,
    );
    this.post('updateinfo', Status.RENDERING, Action.UPDATE);
  }

  pauseAndResume(): void {
    this.advanceClock(1, 60);
    this.post('updateinfo', Status.PAUSED, Action.UPDATE);
    this.advanceClock(30, 3600);
    this.post('updateinfo', Status.RENDERING, Action.UPDATE);
  }

  /**
   * Posts completion and the charge. With `reportFirst`, completion is first posted alone, as
   * action 1.
   */
  complete(reportFirst: boolean): void {
    this.advanceClock(1, 30);
    this.#body.CompletedTime = this.#clock;
    if (reportFirst) this.post('updateinfo', Status.DONE, Action.UPDATE);

    this.post('updateinfo', Status.DONE, Action.COMPLETE_AND_CHARGE);
  }

  fail(): Callback[] {
    this.advanceClock(1, 120);
    this.post('updateinfo', Status.FAILED, Action.UPDATE);
    return this.callbacks;
  }

  /** Posts deleteinfo with the task's last state, changing only Action to 3. */
  delete(): Callback[] {
    this.advanceClock(1, 600);
    this.post('deleteinfo', this.#body.Status, Action.DELETE);
    return this.callbacks;
  }

  #coresPerServer(): number {
    return this.#body.MachineLimit / this.#body.Services;
  }
}

function costOf(coreSeconds: number): number {
  return Math.ceil(coreSeconds / CORE_SECONDS_PER_COST_UNIT);
}

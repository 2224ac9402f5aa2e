/**
 * Applies the changes of a task's life to one task state and records a full snapshot at each
 * callback. The counters only ever grow here, which keeps them monotonic within a life.
 */
import { Action, Status } from '../protocol/status.js';
import { frameFiles, framesFolder } from './output-files.js';
import { type Random, randomInt } from './random.js';
import type {
  FrameBody,
  OutputFile,
  PaymentBody,
  Route,
  SimulatedCallback,
  TaskBody,
} from './task-body.js';

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

/** Callbacks beyond the task's own that a life includes. */
export interface LifeExtras {
  /** Two frame callbacks per frame of a video task: when it starts and when it is done. */
  readonly frames: boolean;
  /** A payment callback when the task completes. */
  readonly payments: boolean;
}

/** The state of one task during its life, and the callbacks recorded so far. */
export class LifeWriter {
  readonly callbacks: SimulatedCallback[] = [];
  readonly #body: TaskBody;
  readonly #profile: RenderProfile;
  readonly #random: Random;
  readonly #extras: LifeExtras;
  readonly #folder: string;
  readonly #files: OutputFile[] = [];
  #clock: number;

  constructor(body: TaskBody, profile: RenderProfile, random: Random, extras: LifeExtras) {
    this.#body = body;
    this.#profile = profile;
    this.#random = random;
    this.#extras = extras;
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
      const files = frameFiles(this.#folder, frame, passSizes, this.#random);
      this.#files.push(...files);
      if (this.#extras.frames && this.#body.Type === 0)
        this.#postFrame(frame, frameSeconds * coresPerServer, files);
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
    if (this.#extras.payments) this.#postPayment();
  }

  fail(): SimulatedCallback[] {
    this.advanceClock(1, 120);
    this.post('updateinfo', Status.FAILED, Action.UPDATE);
    return this.callbacks;
  }

  /** Posts deleteinfo with the task's last state, changing only Action to 3. */
  delete(): SimulatedCallback[] {
    this.advanceClock(1, 600);
    this.post('deleteinfo', this.#body.Status, Action.DELETE);
    return this.callbacks;
  }

  /** Posts a frame starting (rendering, no files yet) and then done with its files and cost. */
  #postFrame(frame: number, coreSeconds: number, files: readonly OutputFile[]): void {
    const body: FrameBody = {
      // NOTE: frame ids are unique within a task only; the platform's are global.
      ID: frame + 1,
      Owner: 0,
      OwnerName: '',
      AgencyUserID: 0,
      RenderTaskID: this.#body.ID,
      FrameIndex: frame,
      Status: Status.RENDERING,
      RenderTimeThread: 0,
      Gross: 0,
      Files: [],
      Type: this.#body.Type,
      Action: Action.CREATE,
      LightJobGross: 0,
      LightJobRenderTimeThread: 0,
      LightJobStatus: 0,
    };
    this.callbacks.push({ route: 'createrenderframeinfo', body });
    this.callbacks.push({
      route: 'updaterenderframeinfo',
      body: {
        ...body,
        Status: Status.DONE,
        RenderTimeThread: coreSeconds,
        Gross: costOf(coreSeconds),
        Files: files,
        Action: Action.UPDATE,
      },
    });
  }

  /** Posts the charge of the whole task, without its file list, which the dealer does not bill. */
  #postPayment(): void {
    const task = this.#body;
    const body: PaymentBody = {
      ID: task.ID,
      Owner: task.Owner,
      OwnerName: task.OwnerName,
      AgencyUserID: task.AgencyUserID,
      CreateTime: task.CreateTime,
      RenderTaskID: task.ID,
      FrameCount: task.FrameCount,
      Status: task.Status,
      RenderTimeThread: task.RenderTimeThreadTotal,
      Gross: task.Gross,
      RenderOutputFiles: [],
      Type: task.Type,
      Deleted: 0,
      FrameCompleted: task.FrameCompleted,
      LightJobGross: task.LightJobGross,
      LightJobRenderTimeThread: task.LightJobRenderTimeThread,
      LightJobStatus: task.LightJobGross > 0 ? Status.DONE : 0,
      Camera: task.Camera,
      Action: Action.COMPLETE_AND_CHARGE,
    };
    this.callbacks.push({ route: 'paymentinfo', body });
  }

  #coresPerServer(): number {
    return this.#body.MachineLimit / this.#body.Services;
  }
}

function costOf(coreSeconds: number): number {
  return Math.ceil(coreSeconds / CORE_SECONDS_PER_COST_UNIT);
}

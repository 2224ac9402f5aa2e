/**
 * The task callback body in the platform's Go field names. The simulator builds bodies in this
 * shape and key-style.ts respells the keys just before sending.
 */

/** One rendered file as the platform lists it in RenderOutputFiles. */
export type OutputFile = {
  /** Platform path, e.g. `/2019-11-21/67721-PrimerFrame_Box_modeling-frames/A-0000.TGA`. */
  readonly name: string;
  /** Bytes. */
  readonly size: number;
  /** 0 in every file of the platform's documented example. */
  readonly time: number;
  readonly isdir: boolean;
};

/** Task type: 0 video (many frames), 1 picture (one frame). */
export type TaskType = 0 | 1;

/** The complete task state that every callback carries, keyed by Go field name. */
export type TaskBody = {
  ID: number;
  Name: string;
  /** The user's id on the platform. */
  Owner: number;
  OwnerName: string;
  /** The user's id in the dealer's database. */
  AgencyUserID: number;
  /** Unix seconds. */
  CreateTime: number;
  Type: TaskType;
  Status: number;
  RenderOutputFiles: readonly OutputFile[];
  FrameCount: number;
  /** Cost of the render so far, light-cache pre-pass included. */
  Gross: number;
  FrameCompleted: number;
  /** Unix seconds; 0 before the render started. */
  StartTime: number;
  /** Unix seconds; 0 before completion. */
  CompletedTime: number;
  /** Cores. */
  MachineLimit: number;
  /** Servers. */
  Services: number;
  /** Core-seconds. */
  RenderTimeThreadTotal: number;
  /** Cost of the light-cache pre-pass. */
  LightJobGross: number;
  /** Core-seconds of the light-cache pre-pass. */
  LightJobRenderTimeThread: number;
  RenderZipFile: string;
  Camera: string;
  Action: number;
};

/** The task callback routes under `{url}/api/task/`. */
export type Route = 'createinfo' | 'updateinfo' | 'deleteinfo';

/** One POST the platform makes: where it goes and the full task state it carries. */
export interface Callback {
  readonly route: Route;
  readonly body: TaskBody;
}

/**
 * The state of one frame, keyed by Go field name. As in the platform's published examples,
 * Owner and AgencyUserID are 0: a frame belongs to its task's owner and agency.
 */
export type FrameBody = {
  ID: number;
  Owner: 0;
  OwnerName: string;
  AgencyUserID: 0;
  RenderTaskID: number;
  FrameIndex: number;
  /** A task status code: 1 rendering, 2 done. */
  Status: number;
  /** Core-seconds. */
  RenderTimeThread: number;
  Gross: number;
  Files: readonly OutputFile[];
  Type: TaskType;
  Action: number;
  LightJobGross: number;
  LightJobRenderTimeThread: number;
  LightJobStatus: number;
};

/** The cost of a finished task, keyed by Go field name; no FrameIndex means the whole task. */
export type PaymentBody = {
  ID: number;
  Owner: number;
  OwnerName: string;
  AgencyUserID: number;
  CreateTime: number;
  RenderTaskID: number;
  FrameCount: number;
  Status: number;
  RenderTimeThread: number;
  Gross: number;
  RenderOutputFiles: readonly OutputFile[];
  Type: TaskType;
  /** 1 when the task was deleted. */
  Deleted: 0 | 1;
  FrameCompleted: number;
  LightJobGross: number;
  LightJobRenderTimeThread: number;
  LightJobStatus: number;
  Camera: string;
  Action: number;
};

/** A per-frame POST: `createrenderframeinfo` when the frame starts, `updaterenderframeinfo` after. */
export interface FrameCallback {
  readonly route: 'createrenderframeinfo' | 'updaterenderframeinfo';
  readonly body: FrameBody;
}

/** The payment POST sent when a task completes. */
export interface PaymentCallback {
  readonly route: 'paymentinfo';
  readonly body: PaymentBody;
}

/** Any POST the simulator sends. */
export type SimulatedCallback = Callback | FrameCallback | PaymentCallback;

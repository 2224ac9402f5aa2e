/**
 * Callback bodies for the benchmarks, built as the platform sends them: each callback carries the
 * task's full state, and a task's progress fields only grow from one callback to the next.
 */
import { baseTask, DOCUMENTED_EXAMPLE } from '../test/helpers/relay.js';

/** Render passes per frame in the video task, as in the documented example's file names. */
const PASSES = ['A', '000_kx_vray_framebuf.RGB_color', '000_kx_vray_framebuf.Alpha'] as const;

/** Unix seconds of 2026-12-04 00:00 UTC, the creation time of the generated tasks. */
const CREATE_TIME = 1_796_342_400;

/**
 * Builds a small task update (about 350 bytes of JSON): task `id` of agency `agency` with
 * `progress` frames done. A higher `progress` for the same id is a newer state.
 */
export function smallTaskBody(id: number, agency: number, progress: number): string {
  return JSON.stringify(
    baseTask({
      ID: id,
      AgencyUserID: agency,
      CreateTime: CREATE_TIME,
      StartTime: CREATE_TIME + 60,
      FrameCount: 1_000_000,
      FrameCompleted: progress,
      RenderTimeThreadTotal: progress * 64,
    }),
  );
}

/** Distinct tasks that the HTTP load cycles through. Each pass over them raises every task's progress. */
export const LOAD_TASKS = 1_000;

/** Agencies that the HTTP load's tasks belong to. */
const LOAD_AGENCIES = 100;

/** Builds HTTP load update number `index`: task `index mod LOAD_TASKS`, one frame further each pass. */
export function loadUpdateBody(index: number): string {
  const task = index % LOAD_TASKS;
  const progress = Math.floor(index / LOAD_TASKS) + 1;
  return smallTaskBody(2_000_000 + task, 1 + (task % LOAD_AGENCIES), progress);
}

/** Returns the documented example verbatim (non-strict JSON) but with task id `id`. */
export function documentedExampleBody(id: number): string {
  const body = DOCUMENTED_EXAMPLE.replace('"id": 67721,', `"id": ${id},`);
  if (body === DOCUMENTED_EXAMPLE) {
    throw new Error('documented example fixture changed: its "id": 67721 line was not found');
  }
  return body;
}

/**
 * Rewrites the documented example into strict JSON: `False` becomes `false` and the commas
 * before `}` or `]` go. The fixture has neither inside a string, so no string changes.
 */
export function strictDocumentedExample(text: string): string {
  const strict = text.replace(/\bFalse\b/g, 'false').replace(/,(\s*[}\]])/g, '$1');
  JSON.parse(strict);
  return strict;
}

/**
 * Builds the callbacks of one video task whose output list grows by `filesPerCallback` files per
 * callback, up to `callbacks × filesPerCallback` files. Every callback resends all files so far.
 */
export function videoTaskBodies(id: number, callbacks: number, filesPerCallback: number): string[] {
  const files = outputFiles(id, callbacks * filesPerCallback);
  const bodies: string[] = [];

  for (let step = 1; step <= callbacks; step += 1) {
    const fileCount = step * filesPerCallback;
    const framesDone = Math.floor(fileCount / PASSES.length);
    const body = baseTask({
      ID: id,
      Name: 'Shot_0420_comp',
      Type: 0,
      CreateTime: CREATE_TIME,
      StartTime: CREATE_TIME + 60,
      FrameCount: Math.ceil(files.length / PASSES.length),
      FrameCompleted: framesDone,
      RenderTimeThreadTotal: framesDone * 3_600,
      RenderOutputFiles: files.slice(0, fileCount),
    });
    bodies.push(JSON.stringify(body));
  }

  return bodies;
}

interface OutputFileBody {
  readonly name: string;
  readonly size: number;
  readonly time: number;
  readonly isdir: boolean;
}

/** Builds `count` output files, one per pass and frame, in the documented example's layout. */
function outputFiles(id: number, count: number): OutputFileBody[] {
  const folder = `/2026-12-04/${id}-Shot_0420_comp-frames`;
  const files: OutputFileBody[] = [];

  for (let index = 0; index < count; index += 1) {
    const frame = Math.floor(index / PASSES.length);
    const pass = PASSES[index % PASSES.length] as string;
    const label = String(frame).padStart(4, '0');
    files.push({
      name: `${folder}/${pass}.${label}.TGA`,
      size: 1_000_000 + ((index * 7919) % 250_000),
      time: CREATE_TIME + 120 + frame * 30,
      isdir: false,
    });
  }

  return files;
}

/** Returns the size of a body in UTF-8 bytes. */
export function byteSize(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Formats a byte count as `512 B`, `4.2 KiB` or `2.31 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toPrecision(3)} KiB`;
  return `${(bytes / 1024 / 1024).toPrecision(3)} MiB`;
}

/**
 * Names and sizes of the files a render produces, in the platform's layout:
 * `/<creation date>/<id>-<task name>-frames/<pass file>`, one file per render pass and frame.
 */
import { type Random, randomInt } from './random.js';
import type { OutputFile } from './task-body.js';

/** File names of the render passes, in the order a task gains them. `frame` has 4 digits. */
const PASS_FILE_NAMES: readonly ((frame: string) => string)[] = [
  (frame) => `A-${frame}.TGA`,
  (frame) => `000_kx_vray_framebuf.RGB_color.${frame}.TGA`,
  (frame) => `000_kx_vray_framebuf.Alpha.${frame}.TGA`,
];

/** Largest number of passes per frame the simulator produces. */
export const MAX_PASSES = PASS_FILE_NAMES.length;

/** Returns the `/YYYY-MM-DD` folder of a task created at `createTime` (Unix seconds, UTC). */
export function dateFolder(createTime: number): string {
  return `/${new Date(createTime * 1000).toISOString().slice(0, 10)}`;
}

/**
 * Returns the folder of a task's frames, e.g. `/2019-11-21/67721-PrimerFrame_Box_modeling-frames`.
 */
export function framesFolder(createTime: number, id: number, name: string): string {
  return `${dateFolder(createTime)}/${id}-${name}-frames`;
}

/**
 * Creates the files of one frame, one per pass. `passSizes` contains each pass's typical size
 * in bytes, and each file's size is within 10 % of it, as frames of one shot are.
 */
export function frameFiles(
  folder: string,
  frame: number,
  passSizes: readonly number[],
  random: Random,
): OutputFile[] {
  const label = String(frame).padStart(4, '0');
  const files: OutputFile[] = [];

  for (const [pass, typicalSize] of passSizes.entries()) {
    const fileName = PASS_FILE_NAMES[pass];
    if (fileName === undefined) break;

    const spread = Math.floor(typicalSize / 10);
    const size = randomInt(random, typicalSize - spread, typicalSize + spread);
    files.push({ name: `${folder}/${fileName(label)}`, size, time: 0, isdir: false });
  }

  return files;
}

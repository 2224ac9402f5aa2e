/**
 * Frame callback bodies in the platform's published style: lower-case keys, Owner and
 * AgencyUserID 0, and a trailing comma before the closing brace.
 */
import { expect } from 'vitest';
import { postCallback, type RunningRelay } from '../helpers/relay.js';
import type { Frame } from '../helpers/ws-client.js';

/** The task every frame test renders; `baseTask()` has this id, owner 1601 and agency 3. */
export const TASK_ID = 67721;

/** Returns a frame body as the platform publishes it; `fields` replace or add lower-case keys. */
export function frameBody(frameIndex: number, fields: Record<string, unknown> = {}): string {
  const values: Record<string, unknown> = {
    id: 500_000 + frameIndex,
    owner: 0,
    ownername: '',
    agencyuserid: 0,
    rendertaskid: TASK_ID,
    frameindex: frameIndex,
    status: 1,
    rendertimethread: 0,
    gross: 0,
    files: [],
    type: 0,
    action: 1,
    lightjobgross: 0,
    lightjobrendertimethread: 0,
    lightjobstatus: 0,
    ...fields,
  };
  const lines = Object.entries(values).map(
    ([key, value]) => `  "${key}": ${JSON.stringify(value)},`,
  );
  return `{\n${lines.join('\n')}\n}`;
}

/** Returns one rendered file of a frame, as the platform lists it. */
export function frameFile(frameIndex: number): Record<string, unknown> {
  const label = String(frameIndex).padStart(4, '0');
  return {
    name: `/2019-11-21/67721-box-frames/A-${label}.TGA`,
    size: 55477,
    time: 0,
    isdir: false,
  };
}

/** Posts a frame callback and expects the success envelope. */
export async function postFrame(
  running: RunningRelay,
  body: string,
  route = 'updaterenderframeinfo',
): Promise<void> {
  const reply = await postCallback(running.url, `/api/task/${route}`, body);
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual({ error_code: 0, error_msg: '成功' });
}

/** Frame events among `frames`. */
export function frameEvents(frames: readonly Frame[]): Frame[] {
  return frames.filter((frame) => frame.type === 'frame.updated');
}

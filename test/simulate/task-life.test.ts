import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Action, Status } from '../../src/protocol/status.js';
import { createRandom } from '../../src/simulate/random.js';
import type { Callback, TaskType } from '../../src/simulate/task-body.js';
import {
  generateTaskLife,
  MAX_CALLBACKS_PER_TASK,
  type TaskLifeOptions,
} from '../../src/simulate/task-life.js';

const CREATE_TIME = 1574318124;

function lifeOf(seed: number, overrides: Partial<TaskLifeOptions> = {}): Callback[] {
  return generateTaskLife({
    id: 67721,
    owner: 1601,
    ownerName: 'test2',
    agencyUserId: 3,
    type: 0,
    createTime: CREATE_TIME,
    random: createRandom(seed),
    maxFrames: 30,
    ...overrides,
  });
}

const seeds = fc.integer({ min: 0, max: 0xffff_ffff });
const types = fc.constantFrom<TaskType>(0, 1);

/** Returns the first life, trying seeds from 0, that `accept` accepts. */
function findLife(
  accept: (life: Callback[]) => boolean,
  overrides: Partial<TaskLifeOptions> = {},
): Callback[] {
  for (let seed = 0; seed < 1000; seed++) {
    const life = lifeOf(seed, overrides);
    if (accept(life)) return life;
  }
  throw new Error('no seed from 0 to 999 gives such a life');
}

/** Statuses a task may pass through before rendering, in the order the platform reports them. */
const BEFORE_RENDER = [Status.PENDING, Status.QUEUED, Status.UPLOADING, Status.PROCESSING];

describe('task-life', () => {
  it('starts with createinfo pending', () => {
    fc.assert(
      fc.property(seeds, types, (seed, type) => {
        const [first] = lifeOf(seed, { type });

        expect(first?.route).toBe('createinfo');
        expect(first?.body.Status).toBe(Status.PENDING);
        expect(first?.body.Action).toBe(Action.CREATE);
        expect(first?.body.StartTime).toBe(0);
        expect(first?.body.RenderOutputFiles).toEqual([]);
      }),
    );
  });

  it('reports statuses in platform order', () => {
    fc.assert(
      fc.property(seeds, types, (seed, type) => {
        const statuses = lifeOf(seed, { type })
          .filter((callback) => callback.route !== 'deleteinfo')
          .map((callback) => callback.body.Status);

        expect(statuses.slice(0, 4)).toEqual(BEFORE_RENDER.slice(0, statuses.length));
        const afterUpload = statuses.slice(4);
        if (afterUpload[0] === Status.WAITING) afterUpload.shift();
        if (afterUpload.length > 0) expect(afterUpload[0]).toBe(Status.RENDERING);
        for (const status of afterUpload) {
          expect([Status.RENDERING, Status.PAUSED, Status.DONE, Status.FAILED]).toContain(status);
        }
        for (const [index, status] of afterUpload.entries()) {
          if (status === Status.PAUSED) expect(afterUpload[index + 1]).toBe(Status.RENDERING);
        }
      }),
    );
  });

  it('keeps counters monotonic within a life', () => {
    fc.assert(
      fc.property(seeds, types, (seed, type) => {
        const life = lifeOf(seed, { type });

        for (const [index, callback] of life.entries()) {
          const previous = life[index - 1]?.body;
          if (previous === undefined) continue;
          const body = callback.body;
          expect(body.FrameCompleted).toBeGreaterThanOrEqual(previous.FrameCompleted);
          expect(body.RenderTimeThreadTotal).toBeGreaterThanOrEqual(previous.RenderTimeThreadTotal);
          expect(body.Gross).toBeGreaterThanOrEqual(previous.Gross);
          expect(body.LightJobGross).toBeGreaterThanOrEqual(previous.LightJobGross);
          expect(body.RenderOutputFiles.length).toBeGreaterThanOrEqual(
            previous.RenderOutputFiles.length,
          );
        }
      }),
    );
  });

  it('grows files as a prefix of later lists', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const life = lifeOf(seed);
        const last = life.at(-1)?.body.RenderOutputFiles ?? [];

        for (const callback of life) {
          const files = callback.body.RenderOutputFiles;
          expect(last.slice(0, files.length)).toEqual(files);
        }
      }),
    );
  });

  it('ends done with action 2 when completed', () => {
    fc.assert(
      fc.property(seeds, types, (seed, type) => {
        const life = lifeOf(seed, { type }).filter((callback) => callback.route !== 'deleteinfo');
        const last = life.at(-1)?.body;
        if (last?.Status !== Status.DONE) return;

        expect(last.Action).toBe(Action.COMPLETE_AND_CHARGE);
        expect(last.CompletedTime).toBeGreaterThanOrEqual(last.StartTime);
        expect(last.StartTime).toBeGreaterThanOrEqual(last.CreateTime);
        expect(last.FrameCompleted).toBe(last.FrameCount);
        expect(last.RenderOutputFiles.length % last.FrameCount).toBe(0);
        const passes = last.RenderOutputFiles.length / last.FrameCount;
        expect(passes).toBeGreaterThanOrEqual(1);
        expect(passes).toBeLessThanOrEqual(3);
      }),
    );
  });

  it('sets CompletedTime only when done', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        for (const { body } of lifeOf(seed)) {
          if (body.Status === Status.DONE) expect(body.CompletedTime).toBeGreaterThan(0);
          else expect(body.CompletedTime).toBe(0);
        }
      }),
    );
  });

  it('sets StartTime from rendering on', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const life = lifeOf(seed);
        const renderIndex = life.findIndex((callback) => callback.body.Status === Status.RENDERING);

        for (const [index, { body }] of life.entries()) {
          if (renderIndex === -1 || index < renderIndex) expect(body.StartTime).toBe(0);
          else expect(body.StartTime).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('sends deleteinfo only last, action 3', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const life = lifeOf(seed);
        const deleteIndex = life.findIndex((callback) => callback.route === 'deleteinfo');
        if (deleteIndex === -1) return;

        expect(deleteIndex).toBe(life.length - 1);
        expect(life[deleteIndex]?.body.Action).toBe(Action.DELETE);
        expect(life[deleteIndex]?.body.Status).toBe(life[deleteIndex - 1]?.body.Status);
      }),
    );
  });

  it('is deterministic for a seed', () => {
    expect(lifeOf(42)).toEqual(lifeOf(42));
    expect(lifeOf(42)).not.toEqual(lifeOf(43));
  });

  it('covers every ending across seeds', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 400; seed++) {
      const statuses = lifeOf(seed).map((callback) => callback.body.Status);
      const last = lifeOf(seed).at(-1);
      if (last?.route === 'deleteinfo') seen.add('deleted');
      if (statuses.includes(Status.FAILED)) seen.add('failed');
      if (statuses.includes(Status.DONE)) seen.add('done');
      if (statuses.includes(Status.PAUSED)) seen.add('paused');
      if (statuses.includes(Status.WAITING)) seen.add('waiting');
    }

    expect([...seen].sort()).toEqual(['deleted', 'done', 'failed', 'paused', 'waiting']);
  });

  it('renders pictures as one frame', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        for (const { body } of lifeOf(seed, { type: 1 })) {
          expect(body.FrameCount).toBe(1);
          expect(body.Type).toBe(1);
        }
      }),
    );
  });

  it('keeps video frame counts in range', () => {
    fc.assert(
      fc.property(seeds, fc.integer({ min: 1, max: 1000 }), (seed, maxFrames) => {
        const frameCount = lifeOf(seed, { maxFrames })[0]?.body.FrameCount ?? 0;

        expect(frameCount).toBeGreaterThanOrEqual(Math.min(24, maxFrames));
        expect(frameCount).toBeLessThanOrEqual(maxFrames);
      }),
    );
  });

  it('defaults videos to 24 to 240 frames', () => {
    for (let seed = 0; seed < 50; seed++) {
      const frameCount = lifeOf(seed, { maxFrames: undefined })[0]?.body.FrameCount ?? 0;
      expect(frameCount).toBeGreaterThanOrEqual(24);
      expect(frameCount).toBeLessThanOrEqual(240);
    }
  });

  it('bounds callbacks for long videos', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const life = lifeOf(seed, { maxFrames: 1000 });
        expect(life.length).toBeLessThanOrEqual(MAX_CALLBACKS_PER_TASK);
      }),
      { numRuns: 40 },
    );
  });

  it('names picture files like the platform', () => {
    const done = findLife((life) => life.at(-1)?.body.Status === Status.DONE, { type: 1 });
    const files = done.at(-1)?.body.RenderOutputFiles ?? [];

    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(file.name).toMatch(
        /^\/2019-11-21\/67721-.+-frames\/(A-0000|000_kx_vray_framebuf\.(RGB_color|Alpha)\.0000)\.TGA$/,
      );
      expect(file.size).toBeGreaterThan(0);
      expect(file.time).toBe(0);
      expect(file.isdir).toBe(false);
    }
  });

  it('numbers video frames from 0', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const last = lifeOf(seed).at(-1)?.body;
        const frames = new Set(
          last?.RenderOutputFiles.map((file) => file.name.match(/(\d{4})\.TGA$/)?.[1]),
        );
        const expected = Array.from({ length: last?.FrameCompleted ?? 0 }, (_, frame) =>
          String(frame).padStart(4, '0'),
        );

        expect([...frames].sort()).toEqual(expected);
      }),
    );
  });

  it('names the zip file by date', () => {
    const body = lifeOf(5)[0]?.body;

    expect(body?.RenderZipFile).toMatch(
      /^\/2019-11-21\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.zip$/,
    );
  });

  it('carries the identity given', () => {
    for (const { body } of lifeOf(3)) {
      expect(body.ID).toBe(67721);
      expect(body.Owner).toBe(1601);
      expect(body.OwnerName).toBe('test2');
      expect(body.AgencyUserID).toBe(3);
      expect(body.CreateTime).toBe(CREATE_TIME);
      expect(body.MachineLimit % body.Services).toBe(0);
    }
  });

  it('produces Chinese task names', () => {
    const names = new Set<string>();
    for (let seed = 0; seed < 100; seed++) names.add(lifeOf(seed)[0]?.body.Name ?? '');

    expect([...names].some((name) => /[\u4e00-\u9fff]/.test(name))).toBe(true);
  });

  it('rejects invalid options', () => {
    expect(() => lifeOf(1, { maxFrames: 0 })).toThrow(
      new RangeError('invalid maxFrames: expected an integer from 1 to 1000, received 0'),
    );
    expect(() => lifeOf(1, { maxFrames: 1001 })).toThrow(RangeError);
    expect(() => lifeOf(1, { id: 0 })).toThrow(/invalid id: expected an integer from 1 to/);
    expect(() => lifeOf(1, { type: 2 as TaskType })).toThrow(
      new RangeError('invalid type: expected 0 or 1, received 2'),
    );
  });
});

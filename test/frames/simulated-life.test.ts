import { describe, expect, test } from 'vitest';
import { createRandom } from '../../src/simulate/random.js';
import type { SimulatedCallback } from '../../src/simulate/task-body.js';
import { generateLife, generateTaskLife } from '../../src/simulate/task-life.js';

function videoLife(seed: number, extras = { frames: true, payments: true }): SimulatedCallback[] {
  return generateLife(
    {
      id: 67721,
      owner: 1601,
      ownerName: 'u1',
      agencyUserId: 3,
      type: 0,
      createTime: 1574318124,
      random: createRandom(seed),
      maxFrames: 30,
    },
    extras,
  );
}

describe('simulated frame callbacks', () => {
  test('frames carry owner zero', () => {
    const frames = videoLife(1).filter((callback) => callback.route.endsWith('renderframeinfo'));

    expect(frames.length).toBeGreaterThan(0);
    for (const { body } of frames) {
      expect(body).toMatchObject({ Owner: 0, AgencyUserID: 0, RenderTaskID: 67721 });
    }
  });

  test('some frames precede createinfo', () => {
    const firstRoutes = Array.from({ length: 100 }, (_, seed) => videoLife(seed)[0]?.route);

    expect(firstRoutes).toContain('createrenderframeinfo');
    expect(firstRoutes).toContain('createinfo');
  });

  test('completion is followed by payment', () => {
    const lives = Array.from({ length: 40 }, (_, seed) => videoLife(seed));
    const charged = lives.filter((life) =>
      life.some((callback) => callback.route === 'paymentinfo'),
    );

    expect(charged.length).toBeGreaterThan(0);
    for (const life of charged) {
      const index = life.findIndex((callback) => callback.route === 'paymentinfo');
      expect(life[index]?.body).toMatchObject({ RenderTaskID: 67721, Status: 2, Deleted: 0 });
      expect(life[index - 1]?.body).toMatchObject({ Status: 2, Action: 2 });
    }
  });

  test('extras off keeps old lives', () => {
    const plain = generateTaskLife({
      id: 67721,
      owner: 1601,
      ownerName: 'u1',
      agencyUserId: 3,
      type: 0,
      createTime: 1574318124,
      random: createRandom(5),
      maxFrames: 30,
    });

    expect(videoLife(5, { frames: false, payments: false })).toEqual(plain);
  });
});

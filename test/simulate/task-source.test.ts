import { describe, expect, it } from 'vitest';
import { ownerOf, TaskSource, type TaskSourceOptions } from '../../src/simulate/task-source.js';

const OPTIONS: TaskSourceOptions = {
  seed: 9,
  firstTaskId: 500,
  owners: 4,
  agencies: 2,
  maxFrames: 5,
  resendRatio: 0,
  lateRatio: 0,
  now: () => 1574318124,
};

describe('task-source', () => {
  it('counts ids up from the first', () => {
    const source = new TaskSource(OPTIONS);
    const ids = [source.next().id, source.next().id, source.next().id];

    expect(ids).toEqual([500, 501, 502]);
    expect(source.created).toBe(3);
  });

  it('takes owners in turn', () => {
    const owners = Array.from({ length: 5 }, (_, ordinal) => ownerOf(ordinal, 4, 2));

    expect(owners).toEqual([
      { owner: 1601, agencyUserId: 3 },
      { owner: 1602, agencyUserId: 4 },
      { owner: 1603, agencyUserId: 3 },
      { owner: 1604, agencyUserId: 4 },
      { owner: 1601, agencyUserId: 3 },
    ]);
  });

  it('carries owner and agency in bodies', () => {
    const source = new TaskSource(OPTIONS);
    source.next();
    const second = source.next();

    for (const { callback } of second.deliveries) {
      expect(callback.body.ID).toBe(501);
      expect(callback.body.Owner).toBe(1602);
      expect(callback.body.AgencyUserID).toBe(4);
      expect(callback.body.OwnerName).toBe('user1602');
      // Frame callbacks carry no CreateTime, and this source sends task callbacks only.
      expect('CreateTime' in callback.body).toBe(true);
      if ('CreateTime' in callback.body) expect(callback.body.CreateTime).toBe(1574318124);
    }
  });

  it('plans the same task for a seed', () => {
    expect(new TaskSource(OPTIONS).next()).toEqual(new TaskSource(OPTIONS).next());
    expect(new TaskSource(OPTIONS).next()).not.toEqual(
      new TaskSource({ ...OPTIONS, seed: 10 }).next(),
    );
  });

  it('mixes videos and pictures', () => {
    const source = new TaskSource(OPTIONS);
    const types = new Set<number>();
    for (let i = 0; i < 40; i++) types.add(source.next().deliveries[0]?.callback.body.Type ?? -1);

    expect([...types].sort()).toEqual([0, 1]);
  });
});

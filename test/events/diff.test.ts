import { describe, expect, it } from 'vitest';
import { addedFiles, diffTasks } from '../../src/events/diff.js';
import type { OutputFile, Task } from '../../src/protocol/task-schema.js';

const file = (name: string): OutputFile => ({ name, size: 10, time: 0, isdir: false });

function task(fields: Partial<Task> = {}): Task {
  return {
    id: 1,
    name: 'box',
    owner: 1601,
    ownerName: 'u1',
    agencyUserId: 3,
    createTime: 1,
    type: 0,
    status: 1,
    renderOutputFiles: [],
    frameCount: 10,
    gross: 0,
    frameCompleted: 0,
    startTime: 1,
    completedTime: 0,
    machineLimit: 96,
    services: 4,
    renderTimeThreadTotal: 0,
    lightJobGross: 0,
    lightJobRenderTimeThread: 0,
    renderZipFile: '/a.zip',
    camera: 'Camera01',
    action: 1,
    extra: {},
    ...fields,
  };
}

describe('diffTasks', () => {
  it('lists only changed fields', () => {
    const diff = diffTasks(task(), task({ status: 2, frameCompleted: 10, completedTime: 99 }));
    expect(diff.changes).toEqual({ status: 2, frameCompleted: 10, completedTime: 99 });
    expect(diff.previous).toEqual({ status: 1, frameCompleted: 0, completedTime: 0 });
  });

  it('never repeats the file list', () => {
    const before = task({ renderOutputFiles: [file('/a'), file('/b')] });
    const after = task({ renderOutputFiles: [file('/a'), file('/b'), file('/c')] });
    const diff = diffTasks(before, after);
    expect(diff.outputFilesAdded).toEqual([file('/c')]);
    expect(diff.changes).not.toHaveProperty('renderOutputFiles');
  });

  it('reports every field on creation', () => {
    const diff = diffTasks(undefined, task({ renderOutputFiles: [file('/a')] }));
    expect(diff.previous).toEqual({});
    expect(Object.keys(diff.changes)).toHaveLength(20);
    expect(diff.outputFilesAdded).toEqual([file('/a')]);
  });

  it('reports changed extra fields', () => {
    const diff = diffTasks(task({ extra: { region: 'a' } }), task({ extra: { region: 'b' } }));
    expect(diff.changes).toEqual({ extra: { region: 'b' } });
    expect(diff.previous).toEqual({ extra: { region: 'a' } });
  });
});

describe('addedFiles', () => {
  it('matches files by name', () => {
    expect(addedFiles([file('/a')], [file('/a'), file('/b')])).toEqual([file('/b')]);
  });
});

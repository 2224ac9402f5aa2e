import { describe, expect, it } from 'vitest';
import { addedFiles, diffTasks } from '../../src/events/diff.js';
import type { OutputFile } from '../../src/protocol/task-schema.js';
import { canonicalTask } from '../helpers/task.js';

const file = (name: string): OutputFile => ({ name, size: 10, time: 0, isdir: false });

const task = canonicalTask;

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

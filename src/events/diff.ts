/**
 * The diff builder: what changed between two states of a task, in event form.
 */
import type { OutputFile, Task } from '../protocol/task-schema.js';

/** The changed fields of a task and the files that are new. */
export interface TaskDiff {
  changes: Record<string, unknown>;
  previous: Record<string, unknown>;
  outputFilesAdded: OutputFile[];
}

type ScalarField = Exclude<keyof Task, 'renderOutputFiles' | 'extra'>;

const SCALAR_FIELDS: readonly ScalarField[] = [
  'name',
  'owner',
  'ownerName',
  'agencyUserId',
  'createTime',
  'type',
  'status',
  'frameCount',
  'gross',
  'frameCompleted',
  'startTime',
  'completedTime',
  'machineLimit',
  'services',
  'renderTimeThreadTotal',
  'lightJobGross',
  'lightJobRenderTimeThread',
  'renderZipFile',
  'camera',
  'action',
];

/**
 * Computes the diff from `before` to `after`. Without `before`, every field counts as changed
 * and every output file as added.
 */
export function diffTasks(before: Task | undefined, after: Task): TaskDiff {
  const changes: Record<string, unknown> = {};
  const previous: Record<string, unknown> = {};

  for (const field of SCALAR_FIELDS) {
    if (before !== undefined && before[field] === after[field]) continue;

    changes[field] = after[field];
    if (before !== undefined) previous[field] = before[field];
  }

  diffExtra(before, after, changes, previous);

  return {
    changes,
    previous,
    outputFilesAdded: addedFiles(before?.renderOutputFiles ?? [], after.renderOutputFiles),
  };
}

function diffExtra(
  before: Task | undefined,
  after: Task,
  changes: Record<string, unknown>,
  previous: Record<string, unknown>,
): void {
  const afterJson = JSON.stringify(after.extra);
  const beforeJson = before === undefined ? '{}' : JSON.stringify(before.extra);
  if (afterJson === beforeJson) return;

  changes.extra = after.extra;
  if (before !== undefined) previous.extra = before.extra;
}

/**
 * Returns the files of `after` whose name is not in `before`. A file whose name stays but whose
 * size changes is not reported: the platform names each rendered frame pass once.
 */
export function addedFiles(
  before: readonly OutputFile[],
  after: readonly OutputFile[],
): OutputFile[] {
  if (before.length === 0) return [...after];

  const known = new Set(before.map((file) => file.name));
  return after.filter((file) => !known.has(file.name));
}

/**
 * The outbound shape of a task: camelCase fields, `statusName`, and `updatedAt` in Unix
 * milliseconds. Platform times stay Unix seconds, as sent.
 */
import { type StatusName, statusName } from '../protocol/status.js';
import type { OutputFile, Task } from '../protocol/task-schema.js';
import type { FrameTable } from '../state/frame-table.js';
import type { CachedTask } from '../state/task-cache.js';

/** A task as REST, snapshots and the dashboard see it. */
export type TaskView = Omit<Task, 'renderOutputFiles'> & {
  statusName: StatusName;
  updatedAt: number;
  outputFileCount: number;
  /** Frames of the task by status code, e.g. `{"1": 3, "2": 40}`; `{}` before any frame. */
  frameStatusCounts: Record<string, number>;
  /** Present only in single-task reads; lists and snapshots leave it out to stay small. */
  renderOutputFiles?: OutputFile[];
};

/**
 * Builds the outbound view of a cached task. Lists and snapshots pass `withFiles: false`: a
 * video task can carry thousands of files, and the list of them is one request away.
 */
export function toTaskView(
  entry: CachedTask,
  withFiles: boolean,
  frames: FrameTable | undefined,
): TaskView {
  const { renderOutputFiles, ...fields } = entry.task;
  const view: TaskView = {
    ...fields,
    statusName: statusName(entry.task.status),
    updatedAt: entry.updatedAt,
    outputFileCount: renderOutputFiles.length,
    frameStatusCounts: frames?.statusCounts() ?? {},
  };

  if (withFiles) view.renderOutputFiles = renderOutputFiles;
  return view;
}

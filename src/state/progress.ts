/**
 * Staleness by progress. The platform sends no version number, so the relay orders two states
 * of one task by how far the render had come:
 * - a run of the task is named by its StartTime, and a later StartTime is a new run (a re-render);
 * - within one run, frames done, core-seconds, costs and the number of output files never
 *   decrease, and a CompletedTime once set never returns to 0.
 * A state that breaks one of these rules is a late copy of an older state. Status alone decides
 * nothing: paused → rendering with the same or more frames is a real resume.
 */
import type { Task } from '../protocol/task-schema.js';

/** The rule an incoming state broke, making it older than the cached one. */
export type StaleReason =
  | 'earlier-run'
  | 'frames-regressed'
  | 'render-time-regressed'
  | 'gross-regressed'
  | 'light-job-gross-regressed'
  | 'output-files-regressed'
  | 'completion-undone';

/** Returns why `incoming` is older than `current`, or `null` when it may follow it. */
export function staleReason(current: Task, incoming: Task): StaleReason | null {
  if (incoming.startTime < current.startTime) return 'earlier-run';
  if (incoming.startTime > current.startTime) return null;

  if (incoming.frameCompleted < current.frameCompleted) return 'frames-regressed';
  if (incoming.renderTimeThreadTotal < current.renderTimeThreadTotal)
    return 'render-time-regressed';
  if (incoming.gross < current.gross) return 'gross-regressed';
  if (incoming.lightJobGross < current.lightJobGross) return 'light-job-gross-regressed';
  if (incoming.renderOutputFiles.length < current.renderOutputFiles.length)
    return 'output-files-regressed';
  if (current.completedTime !== 0 && incoming.completedTime === 0) return 'completion-undone';

  return null;
}

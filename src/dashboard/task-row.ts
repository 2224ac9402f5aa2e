/**
 * One table row of a task. The row element is created once and its cells are updated in place,
 * so an event changes only the text that changed.
 */
import type { TaskView } from '../events/task-view.js';
import { element, setText } from './dom.js';
import { formatCoreHours, formatDuration, formatUnixSeconds } from './format.js';
import { type Lang, statusText, translate } from './i18n.js';

export interface TaskRow {
  readonly element: HTMLTableRowElement;
  task: TaskView;
  /** Alternates between two animation classes, so a second change restarts the flash. */
  flashOdd: boolean;
  readonly cells: {
    readonly id: HTMLTableCellElement;
    readonly name: HTMLTableCellElement;
    readonly ownerName: HTMLSpanElement;
    readonly ownerId: HTMLSpanElement;
    readonly agency: HTMLTableCellElement;
    readonly type: HTMLTableCellElement;
    readonly badge: HTMLSpanElement;
    readonly progress: HTMLProgressElement;
    readonly progressText: HTMLSpanElement;
    readonly cost: HTMLTableCellElement;
    readonly renderTime: HTMLTableCellElement;
    readonly cores: HTMLTableCellElement;
    readonly camera: HTMLTableCellElement;
    readonly created: HTMLTableCellElement;
    readonly started: HTMLTableCellElement;
    readonly finished: HTMLTableCellElement;
    readonly elapsed: HTMLTableCellElement;
  };
}

/** Creates the row of a task; call `renderRow` to fill it. */
export function createRow(task: TaskView): TaskRow {
  const row = element('tr', 'task-row');
  row.tabIndex = 0;
  row.dataset.id = String(task.id);

  const cell = (className: string): HTMLTableCellElement => {
    const td = element('td', className);
    row.append(td);
    return td;
  };
  const id = cell('col-id');
  const name = cell('col-name');
  const owner = cell('col-owner');
  const ownerName = element('span', 'owner-name');
  const ownerId = element('span', 'owner-id');
  owner.append(ownerName, ownerId);
  const agency = cell('col-agency');
  const type = cell('col-type');
  const status = cell('col-status');
  const badge = element('span', 'badge');
  status.append(badge);
  const progressCell = cell('col-progress');
  const progress = element('progress');
  const progressText = element('span', 'progress-text');
  progressCell.append(progress, progressText);

  return {
    element: row,
    task,
    flashOdd: false,
    cells: {
      id,
      name,
      ownerName,
      ownerId,
      agency,
      type,
      badge,
      progress,
      progressText,
      cost: cell('col-cost'),
      renderTime: cell('col-render-time'),
      cores: cell('col-cores'),
      camera: cell('col-camera'),
      created: cell('col-created'),
      started: cell('col-started'),
      finished: cell('col-finished'),
      elapsed: cell('col-elapsed'),
    },
  };
}

function typeText(lang: Lang, type: number): string {
  if (type === 0) return translate(lang, 'typeVideo');
  if (type === 1) return translate(lang, 'typePicture');
  return translate(lang, 'typeUnknown');
}

/** Writes every cell from `row.task`; only changed text touches the DOM. */
export function renderRow(row: TaskRow, lang: Lang): void {
  const { task, cells } = row;
  setText(cells.id, String(task.id));
  setText(cells.name, task.name);
  setText(cells.ownerName, task.ownerName);
  setText(cells.ownerId, `#${task.owner}`);
  setText(cells.agency, String(task.agencyUserId));
  setText(cells.type, typeText(lang, task.type));

  setText(cells.badge, statusText(lang, task.status));
  const badgeClass = `badge badge-${task.statusName}`;
  if (cells.badge.className !== badgeClass) cells.badge.className = badgeClass;

  const total = Math.max(task.frameCount, 0);
  const done = Math.min(Math.max(task.frameCompleted, 0), total);
  const percent = total > 0 ? Math.floor((done / total) * 100) : 0;
  cells.progress.max = Math.max(total, 1);
  cells.progress.value = done;
  setText(cells.progressText, `${done}/${total} (${percent}%)`);

  setText(cells.cost, `${task.gross} + ${task.lightJobGross}`);
  setText(cells.renderTime, formatCoreHours(task.renderTimeThreadTotal));
  setText(cells.cores, `${task.machineLimit} / ${task.services}`);
  setText(cells.camera, task.camera);
  setText(cells.created, formatUnixSeconds(task.createTime, lang, 'notStarted'));
  setText(cells.started, formatUnixSeconds(task.startTime, lang, 'notStarted'));
  setText(cells.finished, formatUnixSeconds(task.completedTime, lang, 'notFinished'));
}

/**
 * Writes the elapsed time, and while rendering the estimated time left. `remainingSeconds`
 * comes from the observed frame rate and is `undefined` until there is one.
 */
export function renderElapsed(
  row: TaskRow,
  lang: Lang,
  nowMs: number,
  remainingSeconds: number | undefined,
): void {
  const { task } = row;
  if (task.startTime <= 0) {
    setText(row.cells.elapsed, '');
    return;
  }
  const end = task.completedTime > 0 ? task.completedTime : nowMs / 1000;
  let text = formatDuration(end - task.startTime);
  if (task.statusName === 'rendering' && remainingSeconds !== undefined) {
    text += ` · ${translate(lang, 'estimate', { t: formatDuration(remainingSeconds) })}`;
  }
  setText(row.cells.elapsed, text);
}

/** Restarts the short highlight that marks a changed row. */
export function flashRow(row: TaskRow): void {
  row.flashOdd = !row.flashOdd;
  row.element.classList.remove(row.flashOdd ? 'flash-b' : 'flash-a');
  row.element.classList.add(row.flashOdd ? 'flash-a' : 'flash-b');
}

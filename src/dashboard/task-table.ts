/**
 * The task table: a Map from task id to its row, kept in sort order. An update rewrites one row
 * and moves it only when its sort position changed; filtering hides rows instead of removing
 * them, so row elements live as long as their task.
 */
import type { TaskView } from '../events/task-view.js';
import type { Lang } from './i18n.js';
import { FrameRates } from './progress-rate.js';
import { createRow, flashRow, renderElapsed, renderRow, type TaskRow } from './task-row.js';
import { compareTasks, matchesView, type ViewState } from './view-state.js';

// NOTE: every task keeps a row in the DOM, and the table's column widths depend on every cell,
// so one changed cell makes Chromium lay out the whole table: a forced layout after one text
// change took about 0.6 s with 5 000 rows in headless Chromium. Rendering only the rows in view
// would remove that cost; section 6 of docs/benchmarks.md has the page's frame intervals.
export class TaskTable {
  readonly #body: HTMLTableSectionElement;
  readonly #rows = new Map<number, TaskRow>();
  /** Task ids in sort order, hidden rows included; matches the order of the row elements. */
  #order: number[] = [];
  readonly #rates = new FrameRates();
  #view: ViewState;
  #lang: Lang;

  constructor(body: HTMLTableSectionElement, view: ViewState, lang: Lang) {
    this.#body = body;
    this.#view = view;
    this.#lang = lang;
  }

  get size(): number {
    return this.#rows.size;
  }

  /** Counts the rows that pass the filters. */
  get shown(): number {
    let count = 0;
    for (const row of this.#rows.values()) if (!row.element.hidden) count += 1;
    return count;
  }

  /** Replaces every row, as after a snapshot. */
  reset(tasks: Iterable<TaskView>): void {
    this.#rows.clear();
    this.#rates.clear();
    const now = Date.now();
    for (const task of tasks) {
      const row = createRow(task);
      this.#rows.set(task.id, row);
      this.#rates.observe(task.id, task.frameCompleted, now);
    }
    this.#resort();
  }

  /** Adds or updates the row of a task and flashes it. */
  upsert(task: TaskView): void {
    const now = Date.now();
    this.#rates.observe(task.id, task.frameCompleted, now);
    const existing = this.#rows.get(task.id);
    if (existing === undefined) {
      const row = createRow(task);
      this.#rows.set(task.id, row);
      this.#paint(row, now);
      this.#place(row, this.#insertionIndex(task));
      flashRow(row);
      return;
    }

    existing.task = task;
    this.#paint(existing, now);
    if (!this.#inOrder(task.id)) {
      this.#order.splice(this.#order.indexOf(task.id), 1);
      this.#place(existing, this.#insertionIndex(task));
    }
    flashRow(existing);
  }

  remove(id: number): void {
    const row = this.#rows.get(id);
    if (row === undefined) return;
    row.element.remove();
    this.#rows.delete(id);
    this.#order.splice(this.#order.indexOf(id), 1);
    this.#rates.forget(id);
  }

  /** Applies new filters and order; this is the one change that may move every row. */
  setView(view: ViewState): void {
    this.#view = view;
    this.#resort();
  }

  /** Rewrites every row in another language. */
  setLang(lang: Lang): void {
    this.#lang = lang;
    const now = Date.now();
    for (const row of this.#rows.values()) this.#paint(row, now);
  }

  /** Refreshes the elapsed and remaining times of started, unfinished tasks. */
  tick(nowMs: number): void {
    for (const row of this.#rows.values()) {
      if (row.task.startTime > 0 && row.task.completedTime <= 0) this.#paintElapsed(row, nowMs);
    }
  }

  #paint(row: TaskRow, nowMs: number): void {
    renderRow(row, this.#lang);
    this.#paintElapsed(row, nowMs);
    const hidden = !matchesView(this.#view, row.task);
    if (row.element.hidden !== hidden) row.element.hidden = hidden;
  }

  #paintElapsed(row: TaskRow, nowMs: number): void {
    const { id, frameCompleted, frameCount } = row.task;
    const remaining = this.#rates.remainingSeconds(id, frameCompleted, frameCount, nowMs);
    renderElapsed(row, this.#lang, nowMs, remaining);
  }

  #resort(): void {
    const rows = [...this.#rows.values()];
    rows.sort((a, b) => compareTasks(this.#view, a.task, b.task));
    this.#order = rows.map((row) => row.task.id);
    const now = Date.now();
    for (const row of rows) this.#paint(row, now);
    this.#body.replaceChildren(...rows.map((row) => row.element));
  }

  /** Returns where a task belongs in `#order`, by binary search. */
  #insertionIndex(task: TaskView): number {
    let low = 0;
    let high = this.#order.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = this.#rows.get(this.#order[middle] as number) as TaskRow;
      if (compareTasks(this.#view, other.task, task) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #inOrder(id: number): boolean {
    const index = this.#order.indexOf(id);
    const task = (this.#rows.get(id) as TaskRow).task;
    const before = this.#rows.get(this.#order[index - 1] ?? Number.NaN);
    const after = this.#rows.get(this.#order[index + 1] ?? Number.NaN);
    if (before !== undefined && compareTasks(this.#view, before.task, task) > 0) return false;
    if (after !== undefined && compareTasks(this.#view, task, after.task) > 0) return false;
    return true;
  }

  #place(row: TaskRow, index: number): void {
    const nextId = this.#order[index];
    this.#order.splice(index, 0, row.task.id);
    const next = nextId === undefined ? null : (this.#rows.get(nextId)?.element ?? null);
    this.#body.insertBefore(row.element, next);
  }
}

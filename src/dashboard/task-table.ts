/**
 * The task table: a Map from task id to its row, kept in sort order, of which only one page of
 * the rows that pass the filters is in the document. An update rewrites one row element (which
 * lives as long as its task), and the page is re-attached at most once per animation frame.
 */
import type { TaskView } from '../events/task-view.js';
import type { Lang } from './i18n.js';
import { FrameRates } from './progress-rate.js';
import { createRow, flashRow, renderElapsed, renderRow, type TaskRow } from './task-row.js';
import { compareTasks, matchesView, type ViewState } from './view-state.js';

/**
 * Rows in the document at once. A table's column widths depend on every cell, so one changed cell
 * makes the browser lay out every attached row. With all 5 000 rows attached, headless Chromium
 * took about 0.6 s per layout; section 6 of docs/benchmarks.md measures the paged table.
 */
export const PAGE_SIZE = 200;

/** The position shown by the pager. */
export interface PageInfo {
  page: number;
  pages: number;
}

export class TaskTable {
  readonly #body: HTMLTableSectionElement;
  readonly #rows = new Map<number, TaskRow>();
  /** Task ids in sort order, rows that fail the filters included. */
  #order: number[] = [];
  readonly #rates = new FrameRates();
  #view: ViewState;
  #lang: Lang;
  /** Ids of the rows in the document, in order. */
  #attached: number[] = [];
  #page = 0;
  #shown = 0;
  #needsLayout = true;

  constructor(body: HTMLTableSectionElement, view: ViewState, lang: Lang) {
    this.#body = body;
    this.#view = view;
    this.#lang = lang;
  }

  get size(): number {
    return this.#rows.size;
  }

  /** Counts the rows that pass the filters, on every page. */
  get shown(): number {
    return this.#shown;
  }

  /** The current page, from 0, and the number of pages. */
  get pageInfo(): PageInfo {
    return { page: this.#page, pages: Math.max(1, Math.ceil(this.#shown / PAGE_SIZE)) };
  }

  /** Moves to another page, clamped to the pages there are. */
  setPage(page: number): void {
    this.#page = page;
    this.#needsLayout = true;
  }

  /**
   * Attaches the current page's rows when filters, order or membership changed since the last
   * call. Call it once per animation frame, after the updates of that frame.
   */
  commit(): void {
    if (!this.#needsLayout) return;
    this.#needsLayout = false;

    const matching = this.#order.filter((id) =>
      matchesView(this.#view, (this.#rows.get(id) as TaskRow).task),
    );
    this.#shown = matching.length;
    const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
    this.#page = Math.min(Math.max(0, this.#page), pages - 1);
    const wanted = matching.slice(this.#page * PAGE_SIZE, (this.#page + 1) * PAGE_SIZE);
    if (sameIds(wanted, this.#attached)) return;

    const now = Date.now();
    const elements = wanted.map((id) => {
      const row = this.#rows.get(id) as TaskRow;
      this.#paintElapsed(row, now);
      return row.element;
    });
    this.#attached = wanted;
    this.#body.replaceChildren(...elements);
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

    const matchedBefore = matchesView(this.#view, existing.task);
    existing.task = task;
    this.#paint(existing, now);
    if (matchesView(this.#view, task) !== matchedBefore) this.#needsLayout = true;
    if (!this.#inOrder(task.id)) {
      this.#order.splice(this.#order.indexOf(task.id), 1);
      this.#place(existing, this.#insertionIndex(task));
    }
    flashRow(existing);
  }

  remove(id: number): void {
    const row = this.#rows.get(id);
    if (row === undefined) return;
    this.#rows.delete(id);
    this.#order.splice(this.#order.indexOf(id), 1);
    this.#rates.forget(id);
    this.#needsLayout = true;
  }

  /** Applies new filters and order; this is the one change that may move every row. */
  setView(view: ViewState): void {
    this.#view = view;
    this.#page = 0;
    this.#resort();
  }

  /** Rewrites every row in another language. */
  setLang(lang: Lang): void {
    this.#lang = lang;
    const now = Date.now();
    for (const row of this.#rows.values()) this.#paint(row, now);
  }

  /** Refreshes the elapsed and remaining times of started, unfinished tasks on the page. */
  tick(nowMs: number): void {
    for (const id of this.#attached) {
      const row = this.#rows.get(id);
      if (row === undefined) continue;
      if (row.task.startTime > 0 && row.task.completedTime <= 0) this.#paintElapsed(row, nowMs);
    }
  }

  #paint(row: TaskRow, nowMs: number): void {
    renderRow(row, this.#lang);
    this.#paintElapsed(row, nowMs);
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
    this.#attached = [];
    this.#needsLayout = true;
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
    this.#order.splice(index, 0, row.task.id);
    this.#needsLayout = true;
  }
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((id, index) => id === b[index]);
}

/**
 * Task counts per status, with a bar per status scaled to the largest count.
 */
import type { TaskView } from '../events/task-view.js';
import { element, setText } from './dom.js';
import { type Lang, statusText, translate } from './i18n.js';

/** Status codes shown even at zero, in the platform's order. */
const STATUS_CODES = [0, 1, 2, 3, 4, 5, 6, 7, 8];

interface Counter {
  readonly item: HTMLLIElement;
  readonly label: HTMLSpanElement;
  readonly count: HTMLSpanElement;
  readonly bar: HTMLSpanElement;
}

export class StatusCounters {
  readonly #list: HTMLElement;
  readonly #counters = new Map<number, Counter>();
  readonly #total: HTMLElement;
  #lang: Lang;

  constructor(list: HTMLElement, total: HTMLElement, lang: Lang) {
    this.#list = list;
    this.#total = total;
    this.#lang = lang;
    for (const code of STATUS_CODES) this.#counter(code);
  }

  setLang(lang: Lang): void {
    this.#lang = lang;
    for (const [code, counter] of this.#counters) {
      setText(counter.label, statusText(lang, code));
    }
  }

  /** Recounts from the full task map; only changed numbers and bars touch the DOM. */
  update(tasks: ReadonlyMap<number, TaskView>, shown: number): void {
    const counts = new Map<number, number>(STATUS_CODES.map((code) => [code, 0]));
    for (const task of tasks.values()) counts.set(task.status, (counts.get(task.status) ?? 0) + 1);
    const largest = Math.max(1, ...counts.values());

    for (const [code, count] of counts) {
      const counter = this.#counter(code);
      setText(counter.count, String(count));
      const width = `${Math.round((count / largest) * 100)}%`;
      if (counter.bar.style.inlineSize !== width) counter.bar.style.inlineSize = width;
    }
    setText(this.#total, translate(this.#lang, 'shown', { shown, total: tasks.size }));
  }

  #counter(code: number): Counter {
    const existing = this.#counters.get(code);
    if (existing !== undefined) return existing;

    const item = element('li', 'counter');
    item.dataset.status = String(code);
    const label = element('span', 'counter-label', statusText(this.#lang, code));
    const count = element('span', 'counter-count', '0');
    const track = element('span', 'counter-track');
    const bar = element('span', `counter-bar status-${code}`);
    track.append(bar);
    item.append(label, count, track);
    this.#list.append(item);
    const counter = { item, label, count, bar };
    this.#counters.set(code, counter);
    return counter;
  }
}

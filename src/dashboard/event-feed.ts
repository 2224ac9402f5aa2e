/**
 * The live event feed: one line per event, newest first, at most MAX_ENTRIES lines.
 */
import type { RelayEvent } from '../events/event.js';
import { element, setText } from './dom.js';
import { fieldLabel } from './field-labels.js';
import { formatRelative } from './format.js';
import { type Lang, statusText, translate } from './i18n.js';

const MAX_ENTRIES = 200;

interface Entry {
  readonly item: HTMLLIElement;
  readonly event: RelayEvent;
  readonly time: HTMLTimeElement;
  readonly text: HTMLSpanElement;
}

export class EventFeed {
  readonly #list: HTMLOListElement;
  readonly #entries: Entry[] = [];
  #lang: Lang;

  constructor(list: HTMLOListElement, lang: Lang) {
    this.#list = list;
    this.#lang = lang;
  }

  add(event: RelayEvent): void {
    const item = element('li', `feed-item feed-${event.type.replace('.', '-')}`);
    const time = element('time', 'feed-time');
    time.dateTime = new Date(event.at).toISOString();
    const id = element('span', 'feed-id', String(event.task.id));
    const name = element('span', 'feed-name', event.task.name);
    const text = element('span', 'feed-text');
    item.append(time, id, name, text);

    const entry = { item, event, time, text };
    this.#render(entry, Date.now());
    this.#entries.unshift(entry);
    this.#list.prepend(item);
    while (this.#entries.length > MAX_ENTRIES) this.#entries.pop()?.item.remove();
  }

  setLang(lang: Lang): void {
    this.#lang = lang;
    this.tick(Date.now());
  }

  /** Refreshes the relative times and texts. */
  tick(nowMs: number): void {
    for (const entry of this.#entries) this.#render(entry, nowMs);
  }

  #render(entry: Entry, nowMs: number): void {
    setText(entry.time, formatRelative(entry.event.at, nowMs, this.#lang));
    setText(entry.text, describe(entry.event, this.#lang));
  }
}

/** Describes an event in one line, e.g. "渲染中 → 任务完成". */
function describe(event: RelayEvent, lang: Lang): string {
  switch (event.type) {
    case 'task.created':
      return `${translate(lang, 'eventCreated')} · ${statusText(lang, event.task.status)}`;
    case 'task.deleted':
      return translate(lang, 'eventDeleted');
    case 'frame.updated':
      return translate(lang, 'eventFrame', { index: event.frame.index });
    case 'task.charged':
      return translate(lang, 'eventCharged', {
        gross: event.charge.gross,
        light: event.charge.lightJobGross,
      });
    case 'task.updated': {
      const { changes, previous } = event;
      if (typeof changes.status === 'number' && typeof previous.status === 'number') {
        return `${statusText(lang, previous.status)} → ${statusText(lang, changes.status)}`;
      }
      const fields = Object.keys(changes)
        .map((field) => fieldLabel(lang, field))
        .join(lang === 'zh' ? '、' : ', ');
      return `${translate(lang, 'eventUpdated')}: ${fields}`;
    }
  }
}

/**
 * The detail dialog of one task: every field, the status history this page saw, and the output
 * files from `GET /api/tasks/:id`. Escape closes it (the native `<dialog>` behaviour).
 */
import type { TaskView } from '../events/task-view.js';
import type { OutputFile } from '../protocol/file-list.js';
import { byId, element } from './dom.js';
import { renderFileGroups } from './file-groups.js';
import { formatRelative, formatUnixSeconds } from './format.js';
import { type Lang, statusText, translate } from './i18n.js';
import { authHeaders } from './token.js';

/** One status a task was seen in, with when the page saw it (Unix milliseconds). */
export interface StatusSighting {
  status: number;
  atMs: number;
}

const TIME_FIELDS: Record<string, 'notStarted' | 'notFinished'> = {
  createTime: 'notStarted',
  startTime: 'notStarted',
  completedTime: 'notFinished',
};

export interface DetailOptions {
  readonly token: () => string;
  readonly lang: () => Lang;
  readonly task: (id: number) => TaskView | undefined;
  readonly history: (id: number) => readonly StatusSighting[];
}

export class TaskDetail {
  readonly #dialog = byId<HTMLDialogElement>('detail');
  readonly #title = byId<HTMLElement>('detail-title');
  readonly #fields = byId<HTMLElement>('detail-fields');
  readonly #history = byId<HTMLOListElement>('detail-history');
  readonly #files = byId<HTMLElement>('detail-files');
  readonly #options: DetailOptions;
  #openId: number | undefined;
  #returnFocus: HTMLElement | undefined;
  /** Bumped per open, so a slow reply for an earlier task is dropped. */
  #request = 0;

  constructor(options: DetailOptions) {
    this.#options = options;
    this.#dialog.addEventListener('close', () => {
      this.#openId = undefined;
      this.#request += 1;
      // Cleared so that a later language switch leaves no text of the old language behind.
      for (const part of [this.#title, this.#fields, this.#history, this.#files]) {
        part.replaceChildren();
      }
      this.#returnFocus?.focus();
    });
  }

  get openId(): number | undefined {
    return this.#openId;
  }

  open(id: number, returnFocus: HTMLElement | undefined): void {
    this.#openId = id;
    this.#returnFocus = returnFocus;
    this.refresh();
    if (!this.#dialog.open) this.#dialog.showModal();
    void this.#loadFiles(id);
  }

  /** Rewrites the fields and history from the current task state. */
  refresh(): void {
    const id = this.#openId;
    if (id === undefined) return;
    const lang = this.#options.lang();
    const task = this.#options.task(id);
    this.#title.textContent = `${translate(lang, 'detailHeading')} ${id}${task ? ` · ${task.name}` : ''}`;

    const rows: HTMLElement[] = [];
    for (const [key, value] of Object.entries(task ?? {})) {
      if (key === 'renderOutputFiles') continue;
      const zeroKey = TIME_FIELDS[key];
      const text =
        zeroKey !== undefined && typeof value === 'number'
          ? formatUnixSeconds(value, lang, zeroKey)
          : typeof value === 'object'
            ? JSON.stringify(value)
            : String(value);
      rows.push(element('dt', '', key), element('dd', `field-${key}`, text));
    }
    this.#fields.replaceChildren(...rows);

    const now = Date.now();
    const sightings = this.#options.history(id).map((sighting) => {
      const item = element('li');
      item.append(
        element('span', `badge status-${sighting.status}`, statusText(lang, sighting.status)),
        element('span', 'muted', ` ${formatRelative(sighting.atMs, now, lang)}`),
      );
      return item;
    });
    this.#history.replaceChildren(...sightings);
  }

  async #loadFiles(id: number): Promise<void> {
    const request = ++this.#request;
    const lang = this.#options.lang();
    this.#files.replaceChildren(element('p', 'muted', translate(lang, 'detailLoading')));
    try {
      const response = await fetch(`/api/tasks/${encodeURIComponent(String(id))}`, {
        headers: authHeaders(this.#options.token()),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { renderOutputFiles?: OutputFile[] };
      if (request !== this.#request) return;
      renderFileGroups(this.#files, body.renderOutputFiles ?? [], this.#options.lang());
    } catch (error) {
      if (request !== this.#request) return;
      const reason = error instanceof Error ? error.message : String(error);
      this.#files.replaceChildren(
        element('p', 'error', translate(this.#options.lang(), 'detailLoadFailed', { reason })),
      );
    }
  }
}

/**
 * Output files grouped by render pass, shown a page at a time. A file name is an opaque string:
 * it is displayed, and only its last segment is read to find the pass.
 */
import type { OutputFile } from '../protocol/file-list.js';
import { element, setText } from './dom.js';
import { formatBytes } from './format.js';
import { type Lang, translate } from './i18n.js';

export const FILES_PER_PAGE = 50;

/**
 * Returns the render pass of a file: its last path segment with the last run of digits (the
 * frame number) replaced by `#`, so `A-0001.TGA` and `A-0002.TGA` share the pass `A-#.TGA`.
 */
export function passOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return base.replace(/\d+(?=\D*$)/, '#');
}

/** Groups files by pass, keeping the platform's order inside each group. */
export function groupByPass(files: readonly OutputFile[]): Map<string, OutputFile[]> {
  const groups = new Map<string, OutputFile[]>();
  for (const file of files) {
    const pass = passOf(file.name);
    const group = groups.get(pass);
    if (group === undefined) groups.set(pass, [file]);
    else group.push(file);
  }
  return groups;
}

/** Renders the groups into `container`, each with its own pager. */
export function renderFileGroups(
  container: HTMLElement,
  files: readonly OutputFile[],
  lang: Lang,
): void {
  if (files.length === 0) {
    container.replaceChildren(element('p', 'muted', translate(lang, 'detailNoFiles')));
    return;
  }
  const sections = [...groupByPass(files)].map(([pass, group]) => renderGroup(pass, group, lang));
  container.replaceChildren(...sections);
}

function renderGroup(pass: string, files: OutputFile[], lang: Lang): HTMLElement {
  const section = element('details', 'file-group');
  const summary = element('summary');
  summary.append(
    element('span', 'file-pass', pass),
    element('span', 'muted', ` · ${translate(lang, 'fileCount', { n: files.length })}`),
  );

  const table = element('table', 'file-table');
  const head = element('thead');
  const headRow = element('tr');
  headRow.append(
    element('th', '', translate(lang, 'fileName')),
    element('th', 'numeric', translate(lang, 'fileSize')),
  );
  head.append(headRow);
  const body = element('tbody');
  table.append(head, body);

  const pages = Math.max(1, Math.ceil(files.length / FILES_PER_PAGE));
  const pager = element('div', 'pager');
  const previous = element('button', '', translate(lang, 'filePrevious'));
  const next = element('button', '', translate(lang, 'fileNext'));
  const label = element('span', 'pager-label');
  previous.type = 'button';
  next.type = 'button';
  pager.append(previous, label, next);

  let page = 1;
  const show = (): void => {
    const start = (page - 1) * FILES_PER_PAGE;
    const rows = files.slice(start, start + FILES_PER_PAGE).map((file) => {
      const row = element('tr');
      row.append(
        element('td', 'file-name', file.name),
        element('td', 'numeric', formatBytes(file.size)),
      );
      return row;
    });
    body.replaceChildren(...rows);
    setText(label, translate(lang, 'filePage', { page, pages }));
    previous.disabled = page <= 1;
    next.disabled = page >= pages;
  };
  previous.addEventListener('click', () => {
    page = Math.max(1, page - 1);
    show();
  });
  next.addEventListener('click', () => {
    page = Math.min(pages, page + 1);
    show();
  });
  show();

  section.append(summary, table, pager);
  if (files.length <= FILES_PER_PAGE) section.open = true;
  return section;
}

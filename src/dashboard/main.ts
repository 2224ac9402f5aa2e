/**
 * The dashboard entry point: wires the SDK's RelayClient to the table, counters, feed, detail
 * dialog and connection line. DOM work is batched to one pass per animation frame.
 */
import { RelayClient, type RelayEvent } from '../client/index.js';
import { ConnectionStatus } from './connection-status.js';
import { StatusCounters } from './counters.js';
import { byId, element } from './dom.js';
import { EventFeed } from './event-feed.js';
import { type Lang, translate } from './i18n.js';
import { applyStaticLabels, loadLang, saveLang } from './labels.js';
import { describeScope } from './scope-text.js';
import { type StatusSighting, TaskDetail } from './task-detail.js';
import { TaskTable } from './task-table.js';
import { loadToken, saveToken } from './token.js';
import { checkToken } from './token-check.js';
import { bindViewControls, type ViewChangeSource } from './view-controls.js';
import { readViewState, type ViewState, writeViewState } from './view-state.js';

/** Rows written per animation frame; the rest wait for the next frame. */
const ROWS_PER_FRAME = 1000;

let lang: Lang = loadLang();
let token = loadToken();
let view: ViewState = readViewState(location.search);

const table = new TaskTable(byId<HTMLTableSectionElement>('task-rows'), view, lang);
const counters = new StatusCounters(byId('counters'), byId('shown'), lang);
const feed = new EventFeed(byId<HTMLOListElement>('feed'), lang);
const connection = new ConnectionStatus(byId('connection'), byId('sync-note'), lang);
const statusHistory = new Map<number, StatusSighting[]>();
const errors = byId('errors');

let client: RelayClient | undefined;
let resetPending = false;
const dirty = new Set<number>();
const pendingEvents: RelayEvent[] = [];
let frameRequested = false;
/** Controls that change the view per keystroke. */
const TEXT_SOURCES = new Set<ViewChangeSource>(['owner', 'agency', 'search']);
/** The control of the last view change, so that typing in one box adds one history entry. */
let lastViewSource: ViewChangeSource | undefined;
/** Whether a token check is running for the current client. */
let tokenCheckRunning = false;

const detail = new TaskDetail({
  token: () => token,
  lang: () => lang,
  task: (id) => client?.tasks.get(id),
  history: (id) => statusHistory.get(id) ?? [],
});

function recordStatus(id: number, status: number, atMs: number): void {
  const sightings = statusHistory.get(id) ?? [];
  if (sightings.at(-1)?.status !== status) sightings.push({ status, atMs });
  statusHistory.set(id, sightings);
}

function showError(message: string): void {
  const item = element('p', 'error-line', `${translate(lang, 'errorPrefix')}: ${message}`);
  errors.replaceChildren(item);
}

/**
 * Checks the token after a failed connection and stops the client when the relay rejects it,
 * because retrying with the same token cannot succeed.
 */
async function explainFailedConnection(failed: RelayClient): Promise<void> {
  if (tokenCheckRunning) return;
  tokenCheckRunning = true;
  const result = await checkToken(token);
  tokenCheckRunning = false;
  if (result !== 'rejected' || client !== failed) return;
  failed.close();
  showError(translate(lang, token === '' ? 'tokenMissing' : 'tokenRejected'));
}

function scheduleFlush(): void {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(flush);
}

/** `seq` of the last event added to the feed. */
let lastSeq = 0;

function flush(): void {
  frameRequested = false;
  const tasks = client?.tasks ?? new Map();
  let touchedOpen = false;

  if (resetPending) {
    resetPending = false;
    dirty.clear();
    table.reset(tasks.values());
    touchedOpen = true;
  }

  let written = 0;
  for (const id of dirty) {
    if (written >= ROWS_PER_FRAME) break;
    dirty.delete(id);
    written += 1;
    const task = tasks.get(id);
    if (task === undefined) table.remove(id);
    else table.upsert(task);
    if (id === detail.openId) touchedOpen = true;
  }

  table.commit();
  showPage();
  // Read by the benchmark: the table's task count, whatever page is shown, and the last seq.
  document.body.dataset.tasks = String(table.size);
  for (const event of pendingEvents.splice(0)) {
    feed.add(event);
    lastSeq = event.seq;
  }
  counters.update(tasks, table.shown);
  if (touchedOpen) detail.refresh();
  if (dirty.size > 0) scheduleFlush();
  else document.body.dataset.seq = String(lastSeq);
}

function connect(): void {
  client?.close();
  errors.replaceChildren();
  const next = new RelayClient({ url: location.origin, token: () => token });
  client = next;

  next.on('snapshot', (info) => {
    const now = Date.now();
    for (const task of info.tasks) recordStatus(task.id, task.status, now);
    connection.onSnapshot(info.reason, info.truncated);
    resetPending = true;
    scheduleFlush();
  });
  next.on('event', (event) => {
    const status = event.changes.status;
    if (event.type === 'task.created' || typeof status === 'number') {
      recordStatus(event.task.id, event.task.status, event.at);
    }
    dirty.add(event.task.id);
    pendingEvents.push(event);
    scheduleFlush();
  });
  next.on('state', (state, info) => {
    connection.onState(state, info);
    if (state === 'reconnecting') void explainFailedConnection(next);
  });
  next.on('error', (error) => showError(error.message));
  next.start();
  byId('scope').textContent = describeScope(token, lang);
}

function setLang(next: Lang): void {
  lang = next;
  saveLang(lang);
  applyStaticLabels(lang);
  table.setLang(lang);
  counters.setLang(lang);
  feed.setLang(lang);
  connection.setLang(lang);
  byId('scope').textContent = describeScope(token, lang);
  if (detail.openId !== undefined) detail.open(detail.openId, undefined);
  scheduleFlush();
}

/**
 * Applies a view from the controls. A change of another control adds a history entry, so back
 * and forward step through filters. Further typing in the same box replaces that entry.
 */
function setView(next: ViewState, source: ViewChangeSource): void {
  view = next;
  const url = `${location.pathname}${writeViewState(view)}`;
  const typing = source === lastViewSource && TEXT_SOURCES.has(source);
  if (typing) history.replaceState(history.state, '', url);
  else history.pushState(history.state, '', url);
  lastViewSource = source;
  table.setView(view);
  scheduleFlush();
}

function openFromRow(target: EventTarget | null): void {
  const row = target instanceof Element ? target.closest<HTMLTableRowElement>('tr.task-row') : null;
  if (row === null) return;
  detail.open(Number(row.dataset.id), row);
}

const rows = byId('task-rows');
rows.addEventListener('click', (event) => openFromRow(event.target));
rows.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter') return;
  // Without this, the same Enter would press the dialog's Close button, which takes focus.
  event.preventDefault();
  openFromRow(event.target);
});

byId<HTMLFormElement>('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = byId<HTMLInputElement>('token-input');
  saveToken(input.value);
  input.value = '';
  token = loadToken();
  connect();
});
byId('token-clear').addEventListener('click', () => {
  saveToken('');
  token = '';
  connect();
});
byId('lang-switch').addEventListener('click', () => setLang(lang === 'zh' ? 'en' : 'zh'));

const showView = bindViewControls(view, lang, setView);
window.addEventListener('popstate', () => {
  view = readViewState(location.search);
  lastViewSource = undefined;
  showView(view);
  table.setView(view);
  scheduleFlush();
});
/** Shows the pager's position and enables its buttons; the pager hides with one page. */
function showPage(): void {
  const { page, pages } = table.pageInfo;
  byId('page-info').textContent = translate(lang, 'pageInfo', { page: page + 1, pages });
  byId<HTMLButtonElement>('page-prev').disabled = page === 0;
  byId<HTMLButtonElement>('page-next').disabled = page >= pages - 1;
  byId('page-info')
    .closest('nav')
    ?.toggleAttribute('hidden', pages <= 1);
}

for (const [id, step] of [
  ['page-prev', -1],
  ['page-next', 1],
] as const) {
  byId(id).addEventListener('click', () => {
    table.setPage(table.pageInfo.page + step);
    scheduleFlush();
  });
}

applyStaticLabels(lang);
setInterval(() => {
  const now = Date.now();
  table.tick(now);
  feed.tick(now);
  connection.tick(now);
}, 1000);
connect();

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
import { bindViewControls } from './view-controls.js';
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

function scheduleFlush(): void {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(flush);
}

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

  for (const event of pendingEvents.splice(0)) feed.add(event);
  counters.update(tasks, table.shown);
  if (touchedOpen) detail.refresh();
  if (dirty.size > 0) scheduleFlush();
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
  next.on('state', (state, info) => connection.onState(state, info));
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

function setView(next: ViewState): void {
  view = next;
  history.replaceState(history.state, '', `${location.pathname}${writeViewState(view)}`);
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

bindViewControls(view, lang, setView);
applyStaticLabels(lang);
setInterval(() => {
  const now = Date.now();
  table.tick(now);
  feed.tick(now);
  connection.tick(now);
}, 1000);
connect();

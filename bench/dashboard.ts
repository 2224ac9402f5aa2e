/**
 * Section 6: the live dashboard in headless Chromium. A relay holds 5 000 tasks; the page loads
 * them, sits idle for one window (the baseline), then receives 50 task updates a second for one
 * window. The page itself reports frame intervals and long tasks. Skipped without Chromium.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { acceptTaskCallback } from '../src/ingest/accept-task.js';
import type { Relay } from '../src/relay.js';
import {
  CHROMIUM_PATH,
  hasChromium,
  launchBrowser,
  openLoopbackPage,
} from '../test/dashboard/browser.js';
import { smallTaskBody } from './bodies.js';
import { type PageWindow, probeScript, TAKE_WINDOW } from './dashboard-page.js';
import { CALLBACK_PATH } from './http.js';
import { assertLoopback, createBenchRelay, ingestDeps } from './setup.js';
import { elapsedNs, now, percentile } from './stats.js';
import type { Row, Section } from './table.js';

const TASKS = 5_000;
const AGENCIES = 50;
const UPDATES_PER_SECOND = 50;
const WINDOW_MS = 10_000;
const UPDATES = (UPDATES_PER_SECOND * WINDOW_MS) / 1000;
const FIRST_TASK_ID = 4_000_000;
/** Upper bound on waiting for the page to show a table, in milliseconds. */
const LOAD_TIMEOUT_MS = 30_000;
const BUNDLE = new URL('../dist/public/dashboard.js', import.meta.url);

const TITLE = '6. Dashboard in headless Chromium (updates vs idle page)';

/** Loads the tasks straight into the relay's store, as callbacks would. */
function loadTasks(relay: Relay): void {
  const nowMs = Date.now();
  for (let i = 0; i < TASKS; i += 1) {
    const body = smallTaskBody(FIRST_TASK_ID + i, 1 + (i % AGENCIES), 1);
    acceptTaskCallback(ingestDeps(relay), 'update', body, nowMs);
  }
}

/** Opens the dashboard with the probe installed and waits until the table has `rows` rows. */
async function openDashboard(browser: Browser, url: string, rows: number): Promise<Page> {
  const { page } = await openLoopbackPage(browser);
  page.setDefaultTimeout(LOAD_TIMEOUT_MS);
  await page.addInitScript(probeScript(rows));
  await page.goto(url);
  await page.locator('#connection[data-state="connected"]').waitFor();
  await page.waitForFunction(`window.__benchProbe.fullTableAtMs !== null`);
  return page;
}

/**
 * Posts one update every 1000 / UPDATES_PER_SECOND ms over HTTP, on a schedule that does not
 * drift, and stops after UPDATES posts or twice the window, whichever comes first.
 */
async function postUpdates(url: string): Promise<number> {
  const target = `${assertLoopback(url).origin}${CALLBACK_PATH}`;
  const intervalMs = 1000 / UPDATES_PER_SECOND;
  const start = now();
  let posted = 0;

  for (let i = 0; i < UPDATES; i += 1) {
    const elapsedMs = elapsedNs(start) / 1e6;
    if (elapsedMs > 2 * WINDOW_MS) break;
    const waitMs = i * intervalMs - elapsedMs;
    if (waitMs > 0) await sleep(waitMs);

    // A stride of 97 spreads the updates over the whole table.
    const index = (i * 97) % TASKS;
    const body = smallTaskBody(FIRST_TASK_ID + index, 1 + (index % AGENCIES), 2 + i);
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    await response.text();
    if (!response.ok) throw new Error(`dashboard: update ${i} failed with HTTP ${response.status}`);
    posted += 1;
  }
  return posted;
}

function summarize(window: PageWindow): { p50: number; p95: number; max: number } {
  const sorted = Float64Array.from(window.frameIntervalsMs).sort();
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.length === 0 ? 0 : (sorted[sorted.length - 1] as number),
  };
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** Measures the page with 0 tasks and with TASKS tasks, idle and under updates. */
async function measure(browser: Browser): Promise<Row[]> {
  const empty = createBenchRelay();
  const emptyUrl = await empty.listen();
  const emptyPage = await openDashboard(browser, emptyUrl, 0);
  const emptyLoad = (await emptyPage.evaluate(TAKE_WINDOW)) as PageWindow;
  await emptyPage.context().close();
  await empty.close();

  const relay = createBenchRelay();
  const url = await relay.listen();
  loadTasks(relay);
  const page = await openDashboard(browser, url, TASKS);
  const load = (await page.evaluate(TAKE_WINDOW)) as PageWindow;

  await sleep(WINDOW_MS);
  const idle = (await page.evaluate(TAKE_WINDOW)) as PageWindow;

  await postUpdates(url);
  // The window ends when the page has drawn the frame that applied the last event; most updated
  // rows are on other pages than the one shown, as with a real table of this size.
  await page.waitForFunction(`Number(document.body.dataset.seq ?? 0) >= ${relay.events.seq}`);
  const busy = (await page.evaluate(TAKE_WINDOW)) as PageWindow;
  await page.context().close();
  await relay.close();

  const idleFrames = summarize(idle);
  const busyFrames = summarize(busy);
  const name = `${TASKS.toLocaleString('en-US')} tasks, ${UPDATES_PER_SECOND} updates/s vs idle`;
  return [
    {
      name: `${TASKS.toLocaleString('en-US')} tasks: first full table vs empty table`,
      result: load.fullTableAtMs ?? 0,
      unit: 'ms',
      baseline: emptyLoad.fullTableAtMs ?? 0,
    },
    {
      name: `${name}: frame interval p50`,
      result: busyFrames.p50,
      unit: 'ms',
      baseline: idleFrames.p50,
    },
    {
      name: `${name}: frame interval p95`,
      result: busyFrames.p95,
      unit: 'ms',
      baseline: idleFrames.p95,
    },
    {
      name: `${name}: frame interval max`,
      result: busyFrames.max,
      unit: 'ms',
      baseline: idleFrames.max,
    },
    {
      name: `${name}: long tasks`,
      result: busy.longTasksMs.length,
      unit: 'count',
      baseline: idle.longTasksMs.length,
    },
    {
      name: `${name}: long task time`,
      result: sum(busy.longTasksMs),
      unit: 'ms',
      baseline: sum(idle.longTasksMs),
    },
    { name: `${name}: rows at end`, result: busy.rows, unit: 'rows', baseline: idle.rows },
  ];
}

const DESCRIPTION =
  `A relay on 127.0.0.1 holds ${TASKS.toLocaleString('en-US')} tasks (loaded in process with ` +
  '`acceptTaskCallback`, over ' +
  `${AGENCIES} agencies). Debian's Chromium (\`${CHROMIUM_PATH}\`, headless, through ` +
  'playwright-core, 1600×900 viewport) opens the dashboard with a probe that runs before the ' +
  "page's scripts: a `requestAnimationFrame` loop records frame intervals, and a " +
  '`PerformanceObserver` for `longtask` entries (tasks over 50 ms) records their durations. ' +
  'The first row is the `performance.now()` (from navigation start) of the first frame in ' +
  'which the page shows "connected" and the table has every row; its baseline is the same ' +
  'page against an empty relay. The page then sits idle for ' +
  `${WINDOW_MS / 1000} s (the baseline of the other rows), and then receives ` +
  `${UPDATES} progress updates posted to \`${CALLBACK_PATH}\` at ${UPDATES_PER_SECOND} per ` +
  'second, spread over the table. That window ends when the page shows the last update. ' +
  'Frame intervals are the p50, p95 and maximum of the window; "rows at end" is the ' +
  "table's task count when the window ends (the document holds one page of 200 rows). One run, no rounds: each number is from one window.";

/** Measures section 6, or returns it empty with a note when Chromium is missing. */
export async function benchDashboard(): Promise<Section> {
  if (!hasChromium) {
    console.log(`  skipped: Chromium not found at ${CHROMIUM_PATH}`);
    return {
      title: TITLE,
      description: `Skipped in this run: Chromium was not found at \`${CHROMIUM_PATH}\`.`,
      rows: [],
    };
  }
  if (!existsSync(BUNDLE)) {
    execFileSync('npm', ['run', 'build:dashboard', '--silent'], { stdio: 'inherit' });
  }

  const browser = await launchBrowser();
  try {
    return { title: TITLE, description: DESCRIPTION, rows: await measure(browser) };
  } finally {
    await browser.close();
  }
}

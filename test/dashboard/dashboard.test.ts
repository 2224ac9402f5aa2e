/**
 * The dashboard in a real headless Chromium against a real relay. Page code is passed as
 * strings, because the test files type-check without the DOM library.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { acceptTaskCallback } from '../../src/ingest/accept-task.js';
import { runSimulator } from '../../src/simulate/simulator.js';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { hasChromium, type LoopbackPage, launchBrowser, openLoopbackPage } from './browser.js';

const HOSTILE_NAME = `<img src=x onerror=alert(1)>"'`;
const HOSTILE_OWNER = '</script><script>alert(2)</script>';
const HOSTILE_FILE = '/d/<svg onload=alert(3)>.png';
const CHINESE_NAME = '客厅效果图_最终版';

/** Rows of the table, as the test reads them. */
const ROW_COUNT = `document.querySelectorAll('#task-rows tr').length`;
const rowText = (id: number, cell: string): string =>
  `document.querySelector('#task-rows tr[data-id="${id}"] .${cell}')?.textContent ?? null`;

describe.skipIf(!hasChromium)('dashboard in Chromium', () => {
  let browser: Browser;
  let running: RunningRelay | undefined;
  let opened: LoopbackPage | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterEach(async () => {
    await opened?.context.close();
    opened = undefined;
    await running?.close();
    running = undefined;
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function openDashboard(path = '/', enforceCsp = false): Promise<LoopbackPage> {
    if (running === undefined) throw new Error('start a relay first');
    opened = await openLoopbackPage(browser, { enforceCsp });
    const response = await opened.page.goto(`${running.url}${path}`);
    expect(response?.status()).toBe(200);
    await opened.page.locator('#connection[data-state="connected"]').waitFor();
    return opened;
  }

  it('page runs under its CSP', async () => {
    running = await startRelay();
    await postCallback(running.url, 'updateinfo', baseTask({ ID: 11 }));
    const { page } = await openDashboard('/', true);
    await page.locator('#task-rows tr[data-id="11"]').waitFor();
    const response = await page.request.get(`${running.url}/`);
    expect(response.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
    const script = await page.request.get(`${running.url}/dashboard.js`);
    expect(script.headers()['content-type']).toMatch(/^text\/javascript/);
  });

  it('table fills from simulator', async () => {
    running = await startRelay();
    const { page } = await openDashboard();
    const stats = await runSimulator({
      url: running.url,
      tasks: 24,
      ratePerSecond: 10_000,
      seed: 7,
      maxFrames: 12,
      resendRatio: 0,
      lateRatio: 0,
    });
    expect(stats.failed).toBe(0);
    // Task lives may end with a deletion, so the relay's cache sets the expected count.
    const cached = running.relay.store.cache.size;
    expect(cached).toBeGreaterThan(0);
    await page.waitForFunction(`${ROW_COUNT} === ${cached}`);
    await page.waitForFunction(`document.querySelectorAll('#feed li').length > 0`);
    const total = await page.textContent('#shown');
    expect(total).toContain(String(cached));

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/dashboard.png', fullPage: false });
    if (process.env.UPDATE_DASHBOARD_SCREENSHOT === '1') {
      copyFileSync('test-results/dashboard.png', 'docs/dashboard.png');
    }
  });

  it('text meets WCAG AA contrast', async () => {
    running = await startRelay();
    for (const status of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) {
      await postCallback(running.url, 'updateinfo', baseTask({ ID: 900 + status, Status: status }));
    }
    const { page } = await openDashboard();
    await page.waitForFunction(`${ROW_COUNT} === 10`);

    // For each element with its own text: the contrast ratio of its colour against the first
    // opaque background found up the tree (WCAG 2 relative luminance).
    const worst = (await page.evaluate(`(() => {
      const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      const parse = (c) => c.match(/[\\d.]+/g).map(Number);
      const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
      const background = (node) => {
        for (let n = node; n; n = n.parentElement) {
          const c = parse(getComputedStyle(n).backgroundColor);
          if (c.length < 4 || c[3] === 1) return c;
        }
        return [255, 255, 255];
      };
      const results = [];
      for (const node of document.querySelectorAll('body *')) {
        const own = [...node.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim() !== '');
        if (!own || node.offsetParent === null) continue;
        const fg = luminance(parse(getComputedStyle(node).color));
        const bg = luminance(background(node));
        const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        results.push({ text: node.textContent.trim().slice(0, 30), ratio: Math.round(ratio * 100) / 100 });
      }
      results.sort((a, b) => a.ratio - b.ratio);
      return results.slice(0, 3);
    })()`)) as { text: string; ratio: number }[];

    expect(worst.length).toBeGreaterThan(0);
    for (const entry of worst) expect(entry.ratio, entry.text).toBeGreaterThanOrEqual(4.5);
  });

  it('update changes only its row', async () => {
    running = await startRelay();
    for (const id of [101, 102, 103]) {
      await postCallback(running.url, 'updateinfo', baseTask({ ID: id, FrameCount: 10 }));
    }
    const { page } = await openDashboard();
    await page.waitForFunction(`${ROW_COUNT} === 3`);
    await page.evaluate(`document.querySelectorAll('#task-rows tr').forEach((row) => {
      row.testMarker = row.dataset.id;
    })`);
    const renderingBefore = await page.textContent('#counters li[data-status="1"] .counter-count');
    expect(renderingBefore).toBe('3');

    await postCallback(
      running.url,
      'updateinfo',
      baseTask({ ID: 102, FrameCount: 10, FrameCompleted: 10, Status: 2 }),
    );
    await page.waitForFunction(`${rowText(102, 'badge')} === '任务完成'`);

    const markers = await page.evaluate(
      `[...document.querySelectorAll('#task-rows tr')].map((row) => row.testMarker ?? 'new')`,
    );
    expect(markers).toEqual(['103', '102', '101']);
    expect(await page.evaluate(rowText(102, 'progress-text'))).toBe('10/10 (100%)');
    expect(await page.evaluate(rowText(101, 'badge'))).toBe('渲染中');
    expect(await page.textContent('#counters li[data-status="1"] .counter-count')).toBe('2');
    expect(await page.textContent('#counters li[data-status="2"] .counter-count')).toBe('1');
    const feed = await page.textContent('#feed');
    expect(feed).toContain('渲染中 → 任务完成');
  });

  it('filters and URL stay in step', async () => {
    running = await startRelay();
    await postCallback(running.url, 'updateinfo', baseTask({ ID: 201, Owner: 1601, Status: 1 }));
    await postCallback(running.url, 'updateinfo', baseTask({ ID: 202, Owner: 1602, Status: 2 }));
    await postCallback(running.url, 'updateinfo', baseTask({ ID: 203, Owner: 1602, Status: 1 }));
    const { page } = await openDashboard('/?status=1&sort=id&order=asc');
    // Rows that fail the filters are not in the document; the table still contains all three.
    await page.waitForFunction(`document.body.dataset.tasks === '3'`);

    const visible = `[...document.querySelectorAll('#task-rows tr')].map((row) => row.dataset.id).join(',')`;
    await page.waitForFunction(`${visible} === '201,203'`);
    expect(await page.inputValue('#filter-status')).toBe('1');

    await page.fill('#filter-owner', '1602');
    await page.waitForFunction(`location.search.includes('owner=1602')`);
    await page.waitForFunction(`${visible} === '203'`);

    await page.click('th[data-sort="id"] button');
    await page.waitForFunction(`!location.search.includes('order=asc')`);
    await page.click('#filter-reset');
    await page.waitForFunction(`location.search === ''`);
    await page.waitForFunction(`${visible} === '203,202,201'`);
  });

  it('pages a large table', async () => {
    running = await startRelay();
    const deps = { store: running.relay.store, log: running.relay.events };
    for (let id = 1; id <= 450; id += 1) {
      acceptTaskCallback(deps, 'update', JSON.stringify(baseTask({ ID: id })), Date.now());
    }
    const { page } = await openDashboard('/?sort=id&order=asc');
    await page.waitForFunction(`document.body.dataset.tasks === '450'`);

    const ids = `[...document.querySelectorAll('#task-rows tr')].map((row) => Number(row.dataset.id))`;
    await page.waitForFunction(`${ROW_COUNT} === 200`);
    expect(await page.textContent('#page-info')).toBe('第 1 / 3 页');
    expect(((await page.evaluate(ids)) as number[])[0]).toBe(1);

    await page.click('#page-next');
    await page.waitForFunction(`${ids}[0] === 201`);
    await page.click('#page-next');
    await page.waitForFunction(`${ROW_COUNT} === 50`);
    expect(await page.isDisabled('#page-next')).toBe(true);
  });

  it('back button restores earlier filter', async () => {
    running = await startRelay();
    await postCallback(running.url, 'updateinfo', baseTask({ ID: 211, Owner: 1601, Status: 1 }));
    await postCallback(running.url, 'updateinfo', baseTask({ ID: 212, Owner: 1602, Status: 2 }));
    await postCallback(running.url, 'updateinfo', baseTask({ ID: 213, Owner: 1602, Status: 1 }));
    const { page } = await openDashboard();
    await page.waitForFunction(`${ROW_COUNT} === 3`);
    const visible = `[...document.querySelectorAll('#task-rows tr')].filter((row) => !row.hidden).map((row) => row.dataset.id).join(',')`;

    await page.fill('#filter-owner', '1602');
    await page.waitForFunction(`location.search === '?owner=1602'`);
    await page.selectOption('#filter-status', '2');
    await page.waitForFunction(`location.search === '?owner=1602&status=2'`);
    expect(await page.evaluate(visible)).toBe('212');

    await page.goBack();
    await page.waitForFunction(`location.search === '?owner=1602'`);
    await page.waitForFunction(`${visible} === '213,212'`);
    expect(await page.inputValue('#filter-owner')).toBe('1602');
    expect(await page.inputValue('#filter-status')).toBe('');

    await page.goBack();
    await page.waitForFunction(`location.search === ''`);
    await page.waitForFunction(`${visible} === '213,212,211'`);
    expect(await page.inputValue('#filter-owner')).toBe('');

    await page.goForward();
    await page.waitForFunction(`location.search === '?owner=1602'`);
    await page.waitForFunction(`${visible} === '213,212'`);
    expect(await page.inputValue('#filter-owner')).toBe('1602');
  });

  it('hostile strings show literally', async () => {
    running = await startRelay();
    const { page, dialogs } = await openDashboard();
    await postCallback(
      running.url,
      'updateinfo',
      baseTask({
        ID: 301,
        Name: HOSTILE_NAME,
        OwnerName: HOSTILE_OWNER,
        RenderOutputFiles: [{ name: HOSTILE_FILE, size: 2048, time: 0, isdir: false }],
      }),
    );
    await page.waitForFunction(`${ROW_COUNT} === 1`);

    expect(await page.evaluate(rowText(301, 'col-name'))).toBe(HOSTILE_NAME);
    expect(await page.evaluate(rowText(301, 'owner-name'))).toBe(HOSTILE_OWNER);
    expect(await page.textContent('#feed .feed-name')).toBe(HOSTILE_NAME);

    await page.focus('#task-rows tr[data-id="301"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(`document.querySelector('#detail-files .file-name') !== null`);
    expect(await page.textContent('#detail-files .file-name')).toBe(HOSTILE_FILE);
    expect(await page.textContent('#detail-fields .field-name')).toBe(HOSTILE_NAME);
    expect(await page.textContent('#detail-fields .field-ownerName')).toBe(HOSTILE_OWNER);
    expect(await page.evaluate(`document.querySelectorAll('img, svg').length`)).toBe(0);

    await page.keyboard.press('Escape');
    await page.waitForFunction(`!document.getElementById('detail').open`);
    expect(dialogs).toEqual([]);
  });

  it('English switch relabels the page', async () => {
    running = await startRelay();
    await postCallback(
      running.url,
      'updateinfo',
      baseTask({ ID: 401, Name: 'box', OwnerName: 'u1', StartTime: 0, Status: 0 }),
    );
    const { page } = await openDashboard();
    await page.waitForFunction(`${ROW_COUNT} === 1`);
    await postCallback(
      running.url,
      'updateinfo',
      baseTask({ ID: 401, Name: 'box', OwnerName: 'u1', StartTime: 0, Status: 1 }),
    );
    await page.waitForFunction(`document.querySelectorAll('#feed li').length === 1`);
    await page.click('#task-rows tr[data-id="401"]');
    await page.waitForFunction(`document.querySelector('#detail-files p') !== null`);
    await page.keyboard.press('Escape');

    await page.click('#lang-switch');
    await page.waitForFunction(`document.documentElement.lang === 'en'`);

    // The switch itself names the other language, so it is the one Chinese label expected.
    const chinese = await page.evaluate(`(() => {
      const found = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        if (node.parentElement.closest('#lang-switch')) continue;
        if (/[\\u3400-\\u9fff]/.test(node.textContent)) found.push(node.textContent);
      }
      for (const input of document.querySelectorAll('input[placeholder]')) {
        if (/[\\u3400-\\u9fff]/.test(input.placeholder)) found.push(input.placeholder);
      }
      return found;
    })()`);
    expect(chinese, JSON.stringify(chinese)).toEqual([]);
    expect(await page.evaluate(rowText(401, 'col-started'))).toBe('not started');
    expect(await page.textContent('#feed')).toContain('waiting for upload → rendering');
    expect(await page.title()).toBe('Render task dashboard');
  });

  it('dates use local time zone', async () => {
    running = await startRelay();
    await postCallback(
      running.url,
      'updateinfo',
      baseTask({ ID: 501, Name: CHINESE_NAME, CreateTime: 1574318124, StartTime: 0 }),
    );
    const { page } = await openDashboard();
    await page.waitForFunction(`${ROW_COUNT} === 1`);

    // 1574318124 is 2019-11-21 06:35:24 UTC, 14:35:24 in Asia/Shanghai (the page's zone).
    expect(await page.evaluate(rowText(501, 'col-created'))).toBe('2019-11-21 14:35:24');
    expect(await page.evaluate(rowText(501, 'col-started'))).toBe('未开始');
    expect(await page.evaluate(rowText(501, 'col-name'))).toBe(CHINESE_NAME);

    await page.click('#task-rows tr[data-id="501"]');
    await page.waitForFunction(`document.getElementById('detail').open`);
    expect(await page.textContent('#detail-title')).toContain(CHINESE_NAME);
    expect(await page.textContent('#detail-fields .field-createTime')).toBe('2019-11-21 14:35:24');
  });

  it('restart on same port resyncs', async () => {
    running = await startRelay();
    await postCallback(running.url, 'updateinfo', baseTask({ ID: 601 }));
    const { page } = await openDashboard();
    await page.waitForFunction(`${ROW_COUNT} === 1`);

    const port = Number(new URL(running.url).port);
    await running.close();
    await page.waitForFunction(
      `document.getElementById('connection').dataset.state === 'reconnecting'`,
    );
    running = await startRelay({ port });
    await postCallback(running.url, 'updateinfo', baseTask({ ID: 602 }));

    await page.waitForFunction(`document.getElementById('sync-note').dataset.note === 'resynced'`);
    await page.waitForFunction(
      `document.getElementById('connection').dataset.state === 'connected'`,
    );
    await page.waitForFunction(`${ROW_COUNT} === 1`);
    expect(await page.getAttribute('#task-rows tr', 'data-id')).toBe('602');
  });
});

/**
 * The dashboard at a phone's viewport (390×844 CSS pixels) in headless Chromium. Page code is
 * passed as strings, because the test files type-check without the DOM library.
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { hasChromium, type LoopbackPage, launchBrowser, openLoopbackPage } from './browser.js';

const PHONE = { width: 390, height: 844 };

describe.skipIf(!hasChromium)('dashboard on a phone', () => {
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

  it('table scrolls inside its container', async () => {
    running = await startRelay();
    for (const id of [801, 802, 803]) {
      await postCallback(running.url, 'updateinfo', baseTask({ ID: id, Name: `场景_${id}` }));
    }
    opened = await openLoopbackPage(browser, { viewport: PHONE });
    const { page } = opened;
    await page.goto(`${running.url}/`);
    await page.locator('#connection[data-state="connected"]').waitFor();
    await page.waitForFunction(`document.getElementById('task-rows').childElementCount === 3`);

    const layout = (await page.evaluate(`(() => {
      const wrap = document.querySelector('.table-wrap');
      return {
        pageScrollWidth: document.documentElement.scrollWidth,
        viewportWidth: document.documentElement.clientWidth,
        wrapClientWidth: wrap.clientWidth,
        wrapScrollWidth: wrap.scrollWidth,
        wrapOverflowX: getComputedStyle(wrap).overflowX,
      };
    })()`)) as Record<string, number | string>;
    expect(layout.pageScrollWidth).toBeLessThanOrEqual(layout.viewportWidth as number);
    expect(layout.wrapScrollWidth).toBeGreaterThan(layout.wrapClientWidth as number);
    expect(layout.wrapOverflowX).toBe('auto');

    await page.evaluate(`document.querySelector('.table-wrap').scrollLeft = 10000`);
    await page.waitForFunction(`document.querySelector('.table-wrap').scrollLeft > 0`);
    expect(await page.evaluate('window.scrollX')).toBe(0);

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/dashboard-phone.png', fullPage: false });
  });

  it('detail dialog fits the screen', async () => {
    running = await startRelay();
    await postCallback(running.url, 'updateinfo', baseTask({ ID: 811, Name: '客厅_最终版' }));
    opened = await openLoopbackPage(browser, { viewport: PHONE });
    const { page } = opened;
    await page.goto(`${running.url}/`);
    await page.locator('#task-rows tr[data-id="811"]').waitFor();

    await page.click('#task-rows tr[data-id="811"] .col-id');
    await page.waitForFunction(`document.getElementById('detail').open`);
    await page.waitForFunction(
      `document.querySelector('#detail-files p, #detail-files table') !== null`,
    );
    const box = (await page.evaluate(`(() => {
      const rect = document.getElementById('detail').getBoundingClientRect();
      return { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom };
    })()`)) as { left: number; top: number; right: number; bottom: number };
    expect(box.left).toBeGreaterThanOrEqual(0);
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.right).toBeLessThanOrEqual(PHONE.width);
    expect(box.bottom).toBeLessThanOrEqual(PHONE.height);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      PHONE.width,
    );
  });
});

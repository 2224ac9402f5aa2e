/**
 * The dashboard against a relay that requires subscriber tokens (JWT), in headless Chromium.
 * Page code is passed as strings, because the test files type-check without the DOM library.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mintSubscriberToken } from '../../src/access/tokens.js';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { hasChromium, type LoopbackPage, launchBrowser, openLoopbackPage } from './browser.js';

const SECRET = 'dashboard-test-secret-0123456789abcdef';
const TOKEN_KEY = 'render-relay.token';
const DAY_MS = 86_400_000;

/** Ids of the table's rows, in order, joined by commas. */
const ROW_IDS = `[...document.querySelectorAll('#task-rows tr')].map((row) => row.dataset.id).join(',')`;

describe.skipIf(!hasChromium)('dashboard with tokens', () => {
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

  /** Starts a JWT relay with tasks 701-702 of agency 3 and 703 of agency 4. */
  async function startJwtRelay(): Promise<RunningRelay> {
    const relay = await startRelay({ jwtSecret: SECRET });
    await postCallback(relay.url, 'updateinfo', baseTask({ ID: 701, AgencyUserID: 3 }));
    await postCallback(relay.url, 'updateinfo', baseTask({ ID: 702, AgencyUserID: 3 }));
    await postCallback(relay.url, 'updateinfo', baseTask({ ID: 703, AgencyUserID: 4 }));
    return relay;
  }

  async function openPage(path: string): Promise<LoopbackPage> {
    if (running === undefined) throw new Error('start a relay first');
    opened = await openLoopbackPage(browser);
    const response = await opened.page.goto(`${running.url}${path}`);
    expect(response?.status()).toBe(200);
    return opened;
  }

  it('fragment token scopes the table', async () => {
    running = await startJwtRelay();
    const token = await mintSubscriberToken({ agencies: [3], ttlMs: DAY_MS }, SECRET);
    const { page } = await openPage(`/#token=${token}`);

    await page.locator('#connection[data-state="connected"]').waitFor();
    await page.waitForFunction(`${ROW_IDS} === '702,701'`);
    expect(await page.evaluate('location.hash')).toBe('');
    expect(await page.evaluate('location.href')).not.toContain(token);
    expect(await page.evaluate(`sessionStorage.getItem('${TOKEN_KEY}')`)).toBe(token);
    expect(await page.textContent('#scope')).toContain('经销商 3');
    expect(await page.textContent('#errors')).toBe('');

    // A later update outside the token's scope never reaches the page.
    await postCallback(running.url, 'updateinfo', baseTask({ ID: 704, AgencyUserID: 4 }));
    await postCallback(running.url, 'updateinfo', baseTask({ ID: 705, AgencyUserID: 3 }));
    await page.waitForFunction(`${ROW_IDS} === '705,702,701'`);
  });

  it('token box switches the view', async () => {
    running = await startJwtRelay();
    const agency3 = await mintSubscriberToken({ agencies: [3], ttlMs: DAY_MS }, SECRET);
    const agency4 = await mintSubscriberToken({ agencies: [4], ttlMs: DAY_MS }, SECRET);
    const { page } = await openPage(`/#token=${agency3}`);
    await page.waitForFunction(`${ROW_IDS} === '702,701'`);

    await page.fill('#token-input', agency4);
    await page.click('#token-form button[type="submit"]');
    await page.waitForFunction(`${ROW_IDS} === '703'`);
    await page.locator('#connection[data-state="connected"]').waitFor();
    expect(await page.textContent('#scope')).toContain('经销商 4');
    expect(await page.inputValue('#token-input')).toBe('');
    expect(await page.evaluate(`sessionStorage.getItem('${TOKEN_KEY}')`)).toBe(agency4);
  });

  it('missing token shows 401 message', async () => {
    running = await startJwtRelay();
    const { page } = await openPage('/');

    await page.waitForFunction(`document.querySelector('#errors .error-line') !== null`);
    const message = await page.textContent('#errors');
    expect(message).toContain('401');
    expect(message).toContain('中继要求访问令牌');
    expect(await page.evaluate(ROW_IDS)).toBe('');
    expect(await page.textContent('#scope')).toContain('无令牌');
    // The page stops retrying: the relay cannot accept the same missing token later.
    await page.locator('#connection[data-state="closed"]').waitFor();
  });

  it('invalid token shows 401 message', async () => {
    running = await startJwtRelay();
    const forged = await mintSubscriberToken({ admin: true, ttlMs: DAY_MS }, `${SECRET}-other`);
    const { page } = await openPage(`/#token=${forged}`);

    await page.waitForFunction(`document.querySelector('#errors .error-line') !== null`);
    const message = await page.textContent('#errors');
    expect(message).toContain('401');
    expect(message).toContain('中继拒绝了此令牌');
    expect(await page.evaluate(ROW_IDS)).toBe('');
  });
});

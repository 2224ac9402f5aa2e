/**
 * Headless Chromium for the dashboard tests: Debian's `/usr/bin/chromium`, driven by
 * playwright-core. Every page may load only from 127.0.0.1; other requests are aborted.
 */
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const hasChromium = existsSync(CHROMIUM_PATH);

/** Launches Chromium; playwright gives each launch a fresh temporary profile directory. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface LoopbackPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Messages of every `alert`, `confirm` or `prompt` the page opened. */
  readonly dialogs: string[];
}

/** Opens a page in a new context that aborts every request to a host other than 127.0.0.1. */
export async function openLoopbackPage(
  browser: Browser,
  options: {
    timezoneId?: string;
    enforceCsp?: boolean;
    viewport?: { width: number; height: number };
  } = {},
): Promise<LoopbackPage> {
  const context = await browser.newContext({
    // Playwright's string predicates run through eval, which the dashboard's CSP blocks. Tests
    // that wait on such predicates switch the CSP off, so they check the escaping on its own.
    bypassCSP: options.enforceCsp !== true,
    viewport: options.viewport ?? { width: 1600, height: 900 },
    timezoneId: options.timezoneId ?? 'Asia/Shanghai',
    locale: 'zh-CN',
  });
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    return hostname === '127.0.0.1' ? route.continue() : route.abort();
  });
  const page = await context.newPage();
  // Shorter than the test timeout, so a failed wait reports its own condition.
  page.setDefaultTimeout(10_000);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { context, page, dialogs };
}

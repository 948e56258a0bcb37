import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { browserBundle, launchChromium, servePages } from '@twofold/testing/browser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The mock in a real browser: a page with setupTwofoldWorker and the SDK completes
// register → setup → verify → login with MFA, with no Twofold server running anywhere.

let browser: Browser;
let pages: Awaited<ReturnType<typeof servePages>>;

beforeAll(async () => {
  pages = await servePages({
    '/': '<!doctype html><title>mock</title><script type="module">import * as app from "/app.js"; window.app = app;</script>',
    '/app.js': await browserBundle(
      fileURLToPath(new URL('./fixtures/browser-entry.ts', import.meta.url)),
    ),
    '/mockServiceWorker.js': readFileSync(
      new URL('../worker/mockServiceWorker.js', import.meta.url),
      'utf8',
    ),
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await pages?.close();
});

describe('@twofold/mock/browser in headless Chromium', () => {
  it('completes register → setup → verify → login with MFA through the Service Worker', async () => {
    const page = await browser.newPage();
    await page.goto(pages.origin);
    await page.waitForFunction('window.app !== undefined');
    const result = await page.evaluate('window.app.runMockFlow()');
    expect(result).toEqual({
      registered: 'browser_mock',
      challenge: 'mfa_required',
      session: 'browser_mock',
      requests: 6,
    });
  }, 60_000);
});

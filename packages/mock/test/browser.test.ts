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
    // A dev server's single-page fallback: every unknown path answers the app's HTML.
    '/app-route': '<!doctype html><title>app</title>',
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

  it('says how to serve the worker script when it is missing (404) or an HTML page', async () => {
    const page = await browser.newPage();
    await page.goto(pages.origin);
    await page.waitForFunction('window.app !== undefined');
    const missing = await page.evaluate('window.app.startWith("/nowhere/mockServiceWorker.js")');
    expect(missing).toContain('/nowhere/mockServiceWorker.js is missing (HTTP 404)');
    expect(missing).toContain('cp node_modules/@twofold/mock/worker/mockServiceWorker.js public/');
    expect(missing).toContain('npx msw init public/');
    const html = await page.evaluate('window.app.startWith("/app-route")');
    expect(html).toContain('/app-route is missing (served as text/html)');
    expect(html).toContain('npx msw init public/');
  }, 60_000);

  it("persist: 'sessionStorage' keeps users, the session, MFA, the outbox and the clock across a reload", async () => {
    const page = await browser.newPage();
    await page.goto(pages.origin);
    await page.waitForFunction('window.app !== undefined');
    const before = (await page.evaluate('window.app.beforeReload()')) as {
      clock: number;
      outbox: number;
    };
    expect(before.outbox).toBe(1);
    await page.reload();
    await page.waitForFunction('window.app !== undefined');
    const after = (await page.evaluate('window.app.afterReload()')) as Record<string, unknown>;
    expect(after).toMatchObject({
      validated: 'kept_user',
      mfaEnabled: true,
      session: 'kept_user',
      outbox: 1,
      keptAfterReset: null,
    });
    // The clock kept its hour ahead of real time (and ticked on meanwhile).
    expect(after.clock).toBeGreaterThanOrEqual(before.clock);
    expect(after.clock as number).toBeLessThan(before.clock + 60_000);
  }, 60_000);
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type RunningServer, serve } from '@twofold/server/node';
import { inProcessServer, testClock } from '@twofold/testing';
import { browserBundle, launchChromium, servePages } from '@twofold/testing/browser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The SDK's browser bundle in headless Chromium (Debian's), against the reference server over
// real HTTP on another origin, so CORS is exercised for real.

const root = fileURLToPath(new URL('../..', import.meta.url));

let browser: Browser;
let pages: Awaited<ReturnType<typeof servePages>>;
let pageOrigin: string;
let api: RunningServer;

beforeAll(async () => {
  const assets: Record<string, string> = {
    '/': `<!doctype html><title>Twofold SDK</title>
      <script type="module">import * as flow from '/flow.js'; window.flow = flow;</script>`,
    '/flow.js': readFileSync(new URL('./fixtures/browser-flow.js', import.meta.url), 'utf8'),
    '/sdk.js': await browserBundle(`${root}client/src/index.ts`),
    '/otp.js': await browserBundle(`${root}otp/src/sha1.ts`),
  };
  pages = await servePages(assets);
  pageOrigin = pages.origin;
  // The page computes its TOTP codes at the real time: so does this server.
  const { server } = inProcessServer({
    clock: testClock({ realTime: true }),
    // Loopback pages are allowed in development by default; this test needs a foreign one.
    cors: { origins: [pageOrigin], loopback: false },
  });
  api = await serve(server, { port: 0, handleSignals: false });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await pages?.close();
});

describe('@twofold/client in headless Chromium', () => {
  it('registers, logs in, sets up and verifies MFA, then meets the MFA challenge — across origins', async () => {
    const page = await browser.newPage();
    await page.goto(pageOrigin);
    await page.waitForFunction('window.flow !== undefined');
    const result = await page.evaluate(`window.flow.runFlow(${JSON.stringify(api.url)})`);
    expect(result).toEqual({
      registered: true,
      login: 'authenticated',
      status: { enabled: true, methods: ['totp'], backupCodesRemaining: 10 },
      storedUser: true,
      second: 'mfa_required',
      wrongCode: 'TwofoldError:MFA_INVALID_CODE:400',
    });
  }, 60_000);

  it('is refused by CORS from an origin the server does not allow (NETWORK_ERROR)', async () => {
    const page = await browser.newPage();
    // The same page, reached as "localhost": another origin the server was not told about.
    await page.goto(pageOrigin.replace('127.0.0.1', 'localhost'));
    await page.waitForFunction('window.flow !== undefined');
    const code = await page.evaluate(`window.flow.tryForeign(${JSON.stringify(api.url)})`);
    expect(code).toBe('NETWORK_ERROR');
  }, 60_000);
});

import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The mock in a real browser: a page with startTwofoldWorker and the SDK completes
// register → setup → verify → login with MFA, with no Twofold server running anywhere.

const CHROMIUM = '/usr/bin/chromium';
let browser: Browser;
let pages: Server;
let origin: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install it with \`apt-get update && apt-get install -y chromium\``,
    );
  }
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./fixtures/browser-entry.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@twofold/source'],
    write: false,
    logLevel: 'error',
  });
  const assets: Record<string, { type: string; body: string }> = {
    '/': {
      type: 'text/html',
      body: '<!doctype html><title>mock</title><script type="module">import * as app from "/app.js"; window.app = app;</script>',
    },
    '/app.js': {
      type: 'text/javascript',
      body: new TextDecoder().decode(bundle.outputFiles[0]?.contents),
    },
    '/mockServiceWorker.js': {
      type: 'text/javascript',
      body: readFileSync(new URL('../worker/mockServiceWorker.js', import.meta.url), 'utf8'),
    },
  };
  pages = createServer((request, response) => {
    const asset = assets[request.url ?? ''];
    response.writeHead(asset === undefined ? 404 : 200, {
      'Content-Type': asset?.type ?? 'text/plain',
    });
    response.end(asset?.body ?? 'not found');
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (pages ? pages.close(resolve) : resolve(undefined)));
});

describe('@twofold/mock/browser in headless Chromium', () => {
  it('completes register → setup → verify → login with MFA through the Service Worker', async () => {
    const page = await browser.newPage();
    await page.goto(origin);
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

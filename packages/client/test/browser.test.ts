import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTwofoldServer, nobleScrypt, scryptHasher } from '@twofold/server';
import { type RunningServer, serve } from '@twofold/server/node';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The SDK's browser bundle in headless Chromium (Debian's), against the reference server over
// real HTTP on another origin, so CORS is exercised for real.

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../..', import.meta.url));

async function browserBundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@twofold/source'],
    write: false,
    logLevel: 'error',
  });
  return new TextDecoder().decode(result.outputFiles[0]?.contents);
}

let browser: Browser;
let pages: Server;
let pageOrigin: string;
let api: RunningServer;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install it with \`apt-get update && apt-get install -y chromium\``,
    );
  }
  const assets: Record<string, string> = {
    '/': `<!doctype html><title>Twofold SDK</title>
      <script type="module">import * as flow from '/flow.js'; window.flow = flow;</script>`,
    '/flow.js': readFileSync(new URL('./fixtures/browser-flow.js', import.meta.url), 'utf8'),
    '/sdk.js': await browserBundle(`${root}client/src/index.ts`),
    '/otp.js': await browserBundle(`${root}otp/src/sha1.ts`),
  };
  pages = createServer((request, response) => {
    const body = assets[request.url ?? ''];
    response.writeHead(body === undefined ? 404 : 200, {
      'Content-Type': request.url?.endsWith('.js') ? 'text/javascript' : 'text/html',
    });
    response.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  api = await serve(
    createTwofoldServer({
      secret: 'browser test secret: 32+ bytes of key material',
      encryptionKey: 'browser test encryption key: 32+ bytes too!',
      mode: 'development',
      passwordHasher: scryptHasher(nobleScrypt, { logN: 8, r: 8, p: 1 }),
      cors: { origins: [pageOrigin] },
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    }),
    { port: 0, handleSignals: false },
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await new Promise((resolve) => (pages ? pages.close(resolve) : resolve(undefined)));
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

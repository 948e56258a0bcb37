import { fileURLToPath } from 'node:url';
import { appDataDirectory, type RunningApp, startApp, stopApp } from '@twofold/testing';
import { browserBundle, launchChromium, servePages } from '@twofold/testing/browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// CORS as a frontend developer meets it (spec §6 rule 7), in headless Chromium: a page on
// http://127.0.0.1:<port> calls apps/server on http://127.0.0.1:<other port> — another origin —
// once in development mode and once in production mode, both with no CORS setting at all (in
// production that allows no page; the server's unit tests cover configured origins).

const root = fileURLToPath(new URL('../../../packages/', import.meta.url));
const PAGE_SCRIPT = `
import { createClient } from '/sdk.js';
/** What page code can read of a cross-origin fetch: the answer, or the error it throws. */
window.probe = async (url, init) => {
  try {
    const response = await fetch(url, init);
    return { status: response.status, body: await response.json() };
  } catch (error) {
    return { thrown: error.name };
  }
};
window.sdkLogin = (baseUrl) =>
  createClient({ baseUrl, retry: 0 })
    .auth.login({ username: 'someone', password: 'long enough pw' })
    .then(() => 'answered', (error) => ({ code: error.code, message: error.message }));
`;

let browser: Browser;
let pages: Awaited<ReturnType<typeof servePages>>;
let development: RunningApp | undefined;
let production: RunningApp | undefined;
let page: Page;

beforeAll(async () => {
  pages = await servePages({
    '/': `<!doctype html><title>CORS</title><script type="module" src="/page.js"></script>`,
    '/page.js': PAGE_SCRIPT,
    '/sdk.js': await browserBundle(`${root}client/src/index.ts`),
  });
  const started = await Promise.allSettled([
    startApp({ TWOFOLD_DATA_DIR: await appDataDirectory('twofold-cors-dev-') }, 90_000),
    startApp(
      {
        TWOFOLD_MODE: 'production',
        TWOFOLD_DATA_DIR: await appDataDirectory('twofold-cors-prod-'),
        TWOFOLD_SECRET: 's'.repeat(40),
        TWOFOLD_ENCRYPTION_KEY: 'e'.repeat(40),
        // Never contacted: no test here sends an email.
        SMTP_URL: 'smtp://127.0.0.1:2525',
        TWOFOLD_RP_ID: 'example.com',
        TWOFOLD_ORIGINS: 'https://example.com',
      },
      90_000,
    ),
  ]);
  [development, production] = started.map((result) =>
    result.status === 'fulfilled' ? result.value : undefined,
  );
  for (const result of started) if (result.status === 'rejected') throw result.reason;
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(pages.origin);
  await page.waitForFunction('window.sdkLogin !== undefined');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([stopApp(development), stopApp(production)]);
  await pages?.close();
});

type PageWindow = { probe(url: string, init: RequestInit): Promise<unknown> };
const probe = (url: string, init: RequestInit = {}) =>
  page.evaluate(([u, i]) => (window as never as PageWindow).probe(u as string, i as RequestInit), [
    url,
    init,
  ] as const);

describe('apps/server CORS from a page on another origin (Chromium)', () => {
  it('says in one start line which origins are allowed', () => {
    expect(development?.output().stdout.match(/^cors: .*$/gm)).toEqual([
      'cors: allowed from localhost, 127.0.0.1 and [::1] on any port',
    ]);
    expect(production?.output().stdout.match(/^cors: .*$/gm)).toEqual([
      'cors: no browser origins; browser pages cannot call the API until --cors-origins (TWOFOLD_CORS_ORIGINS) names them',
    ]);
  });

  it('development: a page on a loopback origin reads the real NOT_FOUND and 405 envelopes after the preflight', async () => {
    const api = development?.url as string;
    // A JSON body makes Chromium send a preflight first; for an unknown path it must pass.
    const unknown = await probe(`${api}/api/v1/no-such-route`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(unknown).toEqual({
      status: 404,
      body: { success: false, error: { code: 'NOT_FOUND', message: 'Not found' } },
    });
    const wrongMethod = await probe(`${api}/api/v1/mfa/status`, { method: 'DELETE' });
    expect(wrongMethod).toMatchObject({
      status: 405,
      body: { success: false, error: { code: 'METHOD_NOT_ALLOWED' } },
    });
    // And the SDK gets the server's own answer, not a NETWORK_ERROR.
    expect(await page.evaluate(`window.sdkLogin(${JSON.stringify(api)})`)).toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });
  });

  it('development: the page reads /api/openapi.json, which carries the security headers', async () => {
    const api = development?.url as string;
    const read = await probe(`${api}/api/openapi.json`);
    expect(read).toMatchObject({ status: 200, body: { openapi: expect.stringMatching(/^3\.1/) } });
    const direct = await fetch(`${api}/api/openapi.json`, {
      headers: { Origin: 'http://localhost:5173' },
    });
    expect(direct.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173');
    expect(direct.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(direct.headers.get('X-Frame-Options')).toBe('DENY');
    expect(direct.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(direct.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    const foreign = await fetch(`${api}/api/openapi.json`, {
      headers: { Origin: 'https://evil.example' },
    });
    expect(foreign.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('production: a page is blocked, and the SDK says why it may be', async () => {
    const api = production?.url as string;
    expect(await probe(`${api}/api/v1/mfa/status`)).toEqual({ thrown: 'TypeError' });
    expect(await probe(`${api}/api/openapi.json`)).toEqual({ thrown: 'TypeError' });
    const failure = (await page.evaluate(`window.sdkLogin(${JSON.stringify(api)})`)) as {
      code: string;
      message: string;
    };
    expect(failure.code).toBe('NETWORK_ERROR');
    expect(failure.message).toBe('No answer: server down, wrong baseUrl or CORS?');
    // The server was up all along: it was CORS.
    expect((await fetch(`${api}/api/v1/mfa/status`)).status).toBe(401);
  });
});

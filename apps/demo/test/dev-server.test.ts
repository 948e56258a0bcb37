import { fileURLToPath } from 'node:url';
import { addVirtualAuthenticator, launchChromium } from '@twofold/testing/browser';
import type { Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factors, fillForm, heading, PASSWORD, register } from './demo-page.js';

// `pnpm --filter @twofold/demo dev`: the page on the Vite dev server, where no API is behind
// it, runs on the mock without being asked (no ?mock), passkeys included.

const demoDir = fileURLToPath(new URL('..', import.meta.url));
let browser: Browser;
let vite: ViteDevServer | undefined;

beforeAll(async () => {
  vite = await createServer({
    root: demoDir,
    configFile: `${demoDir}vite.config.ts`,
    server: { host: 'localhost', port: 0, strictPort: false },
    logLevel: 'silent',
  });
  await vite.listen();
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await vite?.close();
});

describe('apps/demo on the Vite dev server', () => {
  it('runs on the mock at /: registers, adds a passkey and logs in with it', async () => {
    const url = vite?.resolvedUrls?.local[0] ?? '';
    expect(url).toMatch(/^http:\/\/localhost:\d+\/$/);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await addVirtualAuthenticator(page);
      await page.goto(url);
      const panel = page.getByRole('complementary', { name: 'Mock controls' });
      await expect
        .poll(() => panel.getByRole('heading').textContent(), { timeout: 30_000 })
        .toBe('Offline mock');
      // No link to a real server: there is none behind the dev server.
      expect(await page.getByText('Use the real server').count()).toBe(0);
      await register(page, 'dev_ada');
      await fillForm(
        page,
        'Add a passkey',
        { Name: 'Dev key', Password: PASSWORD },
        'Add a passkey',
      );
      await expect.poll(() => heading(page)).toBe('Passkey added: your backup codes');
      await page.getByRole('button', { name: 'Done' }).click();
      await page.getByRole('button', { name: 'Log out' }).click();
      await fillForm(page, 'Log in', { Username: 'dev_ada', Password: PASSWORD }, 'Log in');
      await page.getByRole('button', { name: 'Use a passkey' }).click();
      await expect.poll(() => factors(page)).toContain('On (passkey)');
    } finally {
      await context.close();
    }
  }, 120_000);
});

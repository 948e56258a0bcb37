import { fileURLToPath } from 'node:url';
import { withRepoLock } from '@twofold/testing';
import { addVirtualAuthenticator, launchChromium } from '@twofold/testing/browser';
import type { Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from './demo-build.js';
import { factors, fillForm, heading, PASSWORD, register } from './demo-page.js';

// `pnpm --filter @twofold/demo dev`: the page on the Vite dev server, where no API is behind
// it, runs on the mock without being asked (no ?mock), passkeys included.

const demoDir = fileURLToPath(new URL('..', import.meta.url));
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
}, 120_000);
afterAll(() => browser?.close());

/**
 * Runs `test` against the demo on a Vite dev server, under the repository's build lock: the dev
 * server reads the packages' dist/ as the page asks for them, so none may be rebuilt meanwhile.
 */
function onDevServer(test: (url: string) => Promise<void>): Promise<void> {
  return withRepoLock('dist', async () => {
    await buildDemo(); // the packages it imports, on a fresh clone
    const vite: ViteDevServer = await createServer({
      root: demoDir,
      configFile: `${demoDir}vite.config.ts`,
      server: { host: 'localhost', port: 0, strictPort: false },
      logLevel: 'silent',
    });
    try {
      await vite.listen();
      await test(vite.resolvedUrls?.local[0] ?? '');
    } finally {
      await vite.close();
    }
  });
}

describe('apps/demo on the Vite dev server', () => {
  it(
    'runs on the mock at /: registers, adds a passkey and logs in with it',
    () =>
      onDevServer(async (url) => {
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
      }),
    240_000,
  );
});

import { readFileSync } from 'node:fs';
import { browserBundle, launchChromium, servePages } from '@twofold/testing/browser';
import { type DocExampleCheck, describeDocExamples } from '@twofold/testing/doc-examples';
import { expect } from 'vitest';

// Every JSDoc example of the entry points runs (see @twofold/testing): `.`, `./node` and
// `./authenticator` in this process, `./browser` in headless Chromium, where a Service Worker
// can exist.

type Hook = () => unknown;

/** Records the vitest hooks an example registers, to play them as vitest would. */
function hookRecorder() {
  const hooks = { beforeAll: [] as Hook[], afterEach: [] as Hook[], afterAll: [] as Hook[] };
  const register = (list: Hook[]) => (hook: Hook) => void list.push(hook);
  const global = globalThis as Record<string, unknown>;
  global.__docExampleHooks = {
    beforeAll: register(hooks.beforeAll),
    afterEach: register(hooks.afterEach),
    afterAll: register(hooks.afterAll),
  };
  return {
    hooks,
    async play(test: () => Promise<void>): Promise<void> {
      delete global.__docExampleHooks;
      for (const hook of hooks.beforeAll) await hook();
      await test();
      for (const hook of hooks.afterEach) await hook();
      for (const hook of hooks.afterAll) await hook();
    },
  };
}

const status = async (url: string) => (await fetch(url)).status;

/** The example as a page script in Chromium, with the worker script served at the root. */
async function inChromium(file: string): Promise<DocExampleCheck[]> {
  const pages = await servePages({
    '/': `<!doctype html><title>doc example</title><script type="module">
      window.__checks = [];
      window.__checkDocExample = (actual, expected, source) => window.__checks.push({ actual, expected, source });
      import('/example.js').then(() => { window.__done = 'ok'; }, (error) => { window.__done = String(error?.stack ?? error); });
    </script>`,
    '/example.js': await browserBundle(file),
    '/mockServiceWorker.js': readFileSync(
      new URL('../worker/mockServiceWorker.js', import.meta.url),
      'utf8',
    ),
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(pages.origin);
    await page.waitForFunction('window.__done !== undefined', undefined, { timeout: 30_000 });
    const done = await page.evaluate('window.__done');
    if (done !== 'ok') throw new Error(`the example failed in Chromium: ${String(done)}`);
    return (await page.evaluate('window.__checks')) as DocExampleCheck[];
  } finally {
    await browser.close();
    await pages.close();
  }
}

describeDocExamples({
  packageDir: new URL('..', import.meta.url),
  entries: {
    '@twofold/mock': 'src/index.ts',
    '@twofold/mock/node': 'src/node.ts',
    '@twofold/mock/browser': 'src/browser.ts',
    '@twofold/mock/authenticator': 'src/authenticator.ts',
  },
  rules: {
    setupTwofoldMock: {
      reason: 'its vitest hooks are recorded, then played around a request to the mock',
      setup() {
        const recorder = hookRecorder();
        return {
          replace: {
            "import { afterAll, afterEach, beforeAll } from 'vitest';":
              'const { afterAll, afterEach, beforeAll } = (globalThis as any).__docExampleHooks;',
          },
          async teardown() {
            expect(Object.values(recorder.hooks).map((list) => list.length)).toEqual([1, 1, 1]);
            await recorder.play(async () => {
              expect(await status('http://127.0.0.1:8787/api/v1/mfa/status')).toBe(401);
            });
          },
        };
      },
    },
    setupTwofoldWorker: {
      reason: 'in headless Chromium, the only place a Service Worker runs',
      execute: inChromium,
    },
  },
});

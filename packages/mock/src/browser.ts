// The passkey checks of the server core (@simplewebauthn/server, loaded on first use) need the
// Reflect metadata polyfill before tsyringe loads. They import it themselves, but Vite 8
// (rolldown) runs that CommonJS import after tsyringe once the two share a chunk, and every
// passkey request then fails INTERNAL_ERROR. Loading it with the mock puts it first everywhere.
import 'reflect-metadata';
import { type SetupWorker, type StartOptions, setupWorker } from 'msw/browser';
import {
  createTwofoldMock,
  type TwofoldMock,
  type TwofoldMockOptions,
} from './create-twofold-mock.js';
import { webStoragePersistence } from './persistence.js';

export interface BrowserTwofoldMockOptions extends TwofoldMockOptions {
  /** Where your app serves `mockServiceWorker.js` (default `/mockServiceWorker.js`). */
  serviceWorkerUrl?: string;
  /**
   * Keep the mock's state across page reloads in that Web Storage (key
   * `twofold-mock:<baseUrl>`): users with their passwords, MFA, backup codes and passkeys,
   * sessions, pending setups and challenges, email tokens, attempt counters, the outbox, the
   * clock's offset, and the keys that sign tokens. Not kept: `fail()` and `network()`
   * conditions and `requests`. `reset()` clears it. Default: nothing is kept (memory only).
   */
  persist?: 'sessionStorage' | 'localStorage';
}

/** A {@link TwofoldMock} on `msw/browser`: `start()` before your app calls the API, `stop()` to end. */
export interface BrowserTwofoldMock extends TwofoldMock {
  /**
   * Registers the Service Worker and starts intercepting; other origins pass through. Fails
   * with how to fix it when the worker script is not served.
   */
  start(options?: StartOptions): Promise<void>;
  stop(): void;
  /** The underlying MSW worker, for your own handlers and events. */
  msw: SetupWorker;
}

/** Why `url` is not a worker script (a 404, or an HTML page such as a dev server's fallback), if so. */
async function missingWorker(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, { cache: 'no-store' });
    if (!response.ok) return `HTTP ${response.status}`;
    const type = response.headers.get('Content-Type') ?? '';
    return /javascript/i.test(type) ? undefined : `served as ${type || 'no content type'}`;
  } catch {
    return 'not reachable';
  }
}

/**
 * The Twofold mock in the browser, on `msw/browser` (the pair of `setupTwofoldMock` for Node,
 * as `setupWorker` is of `setupServer`). Serve `mockServiceWorker.js` first (`npx msw init
 * public/`, or copy `@twofold/mock/mockServiceWorker.js`).
 *
 * @example
 * ```ts
 * import { setupTwofoldWorker } from '@twofold/mock/browser';
 * const mock = setupTwofoldWorker({ baseUrl: 'http://127.0.0.1:8787' });
 * await mock.start();
 * const response = await fetch('http://127.0.0.1:8787/api/v1/mfa/status');
 * response.status; // 401
 * ```
 */
export function setupTwofoldWorker(options: BrowserTwofoldMockOptions): BrowserTwofoldMock {
  const persistence =
    options.persist === undefined
      ? undefined
      : webStoragePersistence(
          globalThis[options.persist],
          `twofold-mock:${options.baseUrl.replace(/\/+$/, '')}`,
        );
  const mock = createTwofoldMock(options, persistence);
  const msw = setupWorker(...mock.handlers);
  return {
    ...mock,
    msw,
    async start(startOptions) {
      const url =
        startOptions?.serviceWorker?.url ?? options.serviceWorkerUrl ?? '/mockServiceWorker.js';
      try {
        await msw.start({
          serviceWorker: { url },
          onUnhandledRequest: 'bypass',
          quiet: true,
          ...startOptions,
        });
      } catch (error) {
        const why = await missingWorker(url);
        if (why === undefined) throw error;
        // The usual first-run mistake: say how to fix it, not only that registration failed.
        throw new Error(
          `@twofold/mock: the MSW worker script ${url} is missing (${why}). Copy it into the folder your dev server serves at /: ` +
            '`cp node_modules/@twofold/mock/worker/mockServiceWorker.js public/` (the file `@twofold/mock/mockServiceWorker.js`), ' +
            'or run `npx msw init public/`. Serving it elsewhere? Pass its URL as `serviceWorkerUrl`.',
          { cause: error },
        );
      }
    },
    stop: () => msw.stop(),
  };
}

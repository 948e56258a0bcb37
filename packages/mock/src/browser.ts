import { type SetupWorker, type StartOptions, setupWorker } from 'msw/browser';
import {
  createTwofoldMock,
  type TwofoldMock,
  type TwofoldMockOptions,
} from './create-twofold-mock.js';

export interface BrowserTwofoldMockOptions extends TwofoldMockOptions {
  /** Where your app serves `mockServiceWorker.js` (default `/mockServiceWorker.js`). */
  serviceWorkerUrl?: string;
}

/** A {@link TwofoldMock} on `msw/browser`: `start()` before your app calls the API, `stop()` to end. */
export interface BrowserTwofoldMock extends TwofoldMock {
  /** Registers the Service Worker and starts intercepting; other origins pass through. */
  start(options?: StartOptions): Promise<void>;
  stop(): void;
  /** The underlying MSW worker, for your own handlers and events. */
  msw: SetupWorker;
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
  const mock = createTwofoldMock(options);
  const msw = setupWorker(...mock.handlers);
  return {
    ...mock,
    msw,
    async start(startOptions) {
      await msw.start({
        serviceWorker: { url: options.serviceWorkerUrl ?? '/mockServiceWorker.js' },
        onUnhandledRequest: 'bypass',
        quiet: true,
        ...startOptions,
      });
    },
    stop: () => msw.stop(),
  };
}

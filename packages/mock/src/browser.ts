import { type SetupWorker, type StartOptions, setupWorker } from 'msw/browser';
import {
  createTwofoldHandlers,
  type TwofoldMock,
  type TwofoldMockOptions,
} from './create-handlers.js';

export interface BrowserTwofoldMockOptions extends TwofoldMockOptions {
  /** Where your app serves `mockServiceWorker.js` (default `/mockServiceWorker.js`). */
  serviceWorkerUrl?: string;
  /** More MSW start options (`quiet`, `onUnhandledRequest`, …). */
  start?: StartOptions;
}

/** A {@link TwofoldMock} running in a Service Worker: `stop()` ends the interception. */
export interface BrowserTwofoldMock extends TwofoldMock {
  stop(): void;
  /** The underlying MSW worker. */
  msw: SetupWorker;
}

/**
 * Starts the Twofold mock in the browser, on `msw/browser`. Serve `mockServiceWorker.js` first
 * (`npx msw init public/`, or copy `@twofold/mock/mockServiceWorker.js`).
 *
 * @example
 * ```ts
 * import { startTwofoldWorker } from '@twofold/mock/browser';
 * const mock = await startTwofoldWorker({ baseUrl: 'http://localhost:8787' });
 * ```
 */
export async function startTwofoldWorker(
  options: BrowserTwofoldMockOptions,
): Promise<BrowserTwofoldMock> {
  const mock = createTwofoldHandlers(options);
  const msw = setupWorker(...mock.handlers);
  await msw.start({
    serviceWorker: { url: options.serviceWorkerUrl ?? '/mockServiceWorker.js' },
    onUnhandledRequest: 'bypass',
    quiet: true,
    ...options.start,
  });
  return { ...mock, msw, stop: () => msw.stop() };
}

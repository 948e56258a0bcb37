import { type SetupServer, setupServer } from 'msw/node';
import {
  createTwofoldMock,
  type TwofoldMock,
  type TwofoldMockOptions,
} from './create-twofold-mock.js';

/** A {@link TwofoldMock} on `msw/node`: call `listen()` before your tests and `close()` after. */
export interface NodeTwofoldMock extends TwofoldMock {
  /** Starts intercepting; requests to other origins pass through (`onUnhandledRequest: 'bypass'`). */
  listen(options?: Parameters<SetupServer['listen']>[0]): void;
  close(): void;
  /** The underlying MSW server, for your own handlers and events. */
  msw: SetupServer;
}

/**
 * The Twofold mock for Node tests (vitest, jest, …) on `msw/node`.
 *
 * @example
 * ```ts
 * import { setupTwofoldMock } from '@twofold/mock/node';
 * import { afterAll, afterEach, beforeAll } from 'vitest';
 * const mock = setupTwofoldMock({ baseUrl: 'http://127.0.0.1:8787' });
 * beforeAll(() => mock.listen());
 * afterEach(() => mock.reset());
 * afterAll(() => mock.close());
 * ```
 */
export function setupTwofoldMock(options: TwofoldMockOptions): NodeTwofoldMock {
  const mock = createTwofoldMock(options);
  const msw = setupServer(...mock.handlers);
  return {
    ...mock,
    msw,
    listen: (listenOptions) => msw.listen({ onUnhandledRequest: 'bypass', ...listenOptions }),
    close: () => msw.close(),
  };
}

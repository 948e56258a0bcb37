import {
  createTwofoldServer,
  type Logger,
  MemoryStore,
  type Store,
  scryptPasswordHasher,
  type TwofoldServer,
  type TwofoldServerOptions,
} from '@twofold/server';
import { type HttpDriver, httpDriver, type Transport } from './http-driver.js';
import { type TestClock, testClock } from './test-clock.js';

/** Signing key of test servers (32+ bytes, as the server requires). */
export const TEST_SECRET = 'test secret: 32+ bytes of key material, not for production';
/** Sealing key of test servers. */
export const TEST_ENCRYPTION_KEY = 'test encryption key: also 32+ bytes of key material';

/** scrypt at a low cost: the KDF code path is the real one, the tests stay fast. */
export const fastHasher = scryptPasswordHasher({ logN: 8, r: 8, p: 1 });

/** A logger that drops everything. */
export const quietLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** Where in-process servers live unless told otherwise (never resolved: no request leaves). */
export const IN_PROCESS_BASE_URL = 'http://twofold.test';

/**
 * Complete server options for tests: development mode, the test keys, the cheap hasher, no
 * logging; `overrides` win. For servers a test builds itself (e.g. to serve over node:http).
 *
 * @example
 * ```ts
 * const running = await serve(createTwofoldServer(testServerOptions()), { port: 0 });
 * ```
 */
export function testServerOptions(
  overrides: Partial<TwofoldServerOptions> = {},
): TwofoldServerOptions {
  return {
    secret: TEST_SECRET,
    encryptionKey: TEST_ENCRYPTION_KEY,
    mode: 'development',
    passwordHasher: fastHasher,
    logger: quietLogger,
    ...overrides,
  };
}

export interface InProcessServerOptions extends Partial<Omit<TwofoldServerOptions, 'store'>> {
  /** Default: a memory store on the test clock (a test reads it back as `store`). */
  store?: Store;
  /** The server's and the memory store's clock; default a fixed {@link testClock}. */
  clock?: TestClock;
  /** The client address every request comes from unless a call says otherwise (TEST-NET-1). */
  clientAddress?: string;
  /** Default {@link IN_PROCESS_BASE_URL}. */
  baseUrl?: string;
}

export interface InProcessServer extends HttpDriver {
  server: TwofoldServer;
  store: Store;
  clock: TestClock;
  /** Every line the server logged. */
  logs: string[];
  /** Every request answered, as `METHOD /path`. */
  requests: string[];
  /** A `fetch` into the server (for SDKs and suites that take one). */
  fetch: typeof globalThis.fetch;
}

/**
 * The reference server core in this process, on a memory store (unless `store` is given) and
 * a test clock, with the HTTP driver and a `fetch` into it: no port, no process, and the clock
 * in the test's hands.
 *
 * @example
 * ```ts
 * const t = inProcessServer();
 * const user = await t.userWithMfa();
 * t.clock.advance(5 * 60_000);
 * ```
 */
export function inProcessServer(options: InProcessServerOptions = {}): InProcessServer {
  const {
    clock = testClock(),
    clientAddress = '192.0.2.1',
    baseUrl = IN_PROCESS_BASE_URL,
    ...serverOptions
  } = options;
  const logs: string[] = [];
  const log = (message: string) => {
    logs.push(message);
  };
  const store = serverOptions.store ?? new MemoryStore({ now: clock.now });
  const server = createTwofoldServer(
    testServerOptions({
      now: clock.now,
      logger: { info: log, warn: log, error: log },
      ...serverOptions,
      store,
    }),
  );
  const requests: string[] = [];
  const transport: Transport = async (request, client) => {
    request.signal.throwIfAborted(); // as a real fetch does
    requests.push(`${request.method} ${new URL(request.url).pathname}`);
    return server.fetch(request, { clientAddress: client ?? clientAddress });
  };
  return {
    ...httpDriver({ baseUrl, transport, clock }),
    server,
    store,
    clock,
    logs,
    requests,
    fetch: (input, init) => transport(new Request(input, init), undefined),
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTwofoldMock } from '@twofold/mock';
import { createSoftwareAuthenticator } from '@twofold/mock/authenticator';
import type { WebAuthnOptions } from '@twofold/server';
import {
  type InProcessServerOptions,
  inProcessServer,
  seedPGliteDirectory,
  startApp,
  stopApp,
  temporaryPGliteStore,
  temporaryPostgresStore,
  testClock,
} from '@twofold/testing';
import { setupServer } from 'msw/node';
import type { Target, WebAuthnTarget } from '../src/index.js';

/** The page origin the suite's software authenticator claims. */
export const PASSKEY_ORIGIN = 'http://localhost:5173';
/** The origin next to {@link PASSKEY_ORIGIN} (another port): one the suite expects refused. */
export const neighbourOfPasskeyOrigin = 'http://localhost:5174';
/** An authenticator model the test targets' passkey policy refuses. */
export const REFUSED_AAGUID = 'bada55ed-0000-4000-8000-00000000dead';
/** The one authenticator model `apps/server` allows (its AAGUID allow-list). */
export const ALLOWED_AAGUID = 'c0ffee00-0000-4000-8000-0000000000aa';

/** The passkey relying party of every test target: localhost, user verification required. */
export const serverWebAuthn: WebAuthnOptions = {
  rpId: 'localhost',
  rpName: 'Twofold',
  origins: [PASSKEY_ORIGIN],
  userVerification: 'required',
  policy: (authenticator) => authenticator.aaguid !== REFUSED_AAGUID,
};

/** What the suite is told about {@link serverWebAuthn}, with the software authenticator. */
export const webauthnTarget: WebAuthnTarget = {
  origin: PASSKEY_ORIGIN,
  rpId: 'localhost',
  userVerification: 'required',
  refusedAaguid: REFUSED_AAGUID,
  authenticator: createSoftwareAuthenticator,
};

/**
 * The server core in-process: fetch calls `server.fetch`, behind a trusted proxy so each check
 * has its own client address. Its clock is the real time plus what the checks advance, so a
 * client computing codes at the real time (the CLI, over HTTP) agrees with it.
 */
export function inProcessTarget(
  options: InProcessServerOptions = {},
): Target & { fetch: typeof fetch } {
  const server = inProcessServer({
    clock: testClock({ realTime: true }),
    clientAddress: '127.0.0.1',
    baseUrl: 'http://in-process.twofold.test',
    trustProxy: 1,
    webauthn: serverWebAuthn,
    ...options,
  });
  return {
    baseUrl: server.baseUrl,
    fetch: server.fetch,
    clock: server.clock,
    distinctClients: true,
    webauthn: webauthnTarget,
  };
}

/**
 * The server core in-process on a SQL store sharing the target's clock: PGlite in a temporary
 * directory, or PostgreSQL in a fresh schema (the test database); `close()` removes either.
 */
export async function sqlStoreTarget(
  kind: 'PGlite' | 'PostgreSQL',
): Promise<Target & { fetch: typeof fetch; close(): Promise<void> }> {
  const clock = testClock({ realTime: true });
  const store =
    kind === 'PGlite'
      ? await temporaryPGliteStore({ now: clock.now })
      : await temporaryPostgresStore({ prefix: 'conformance', now: clock.now });
  return { ...inProcessTarget({ clock, store }), close: () => store.close() };
}

/** The mock on msw/node; `close()` stops intercepting. */
export function mockTarget(): Target & { close(): void } {
  const baseUrl = 'http://mock.twofold.test';
  const mock = createTwofoldMock({ baseUrl, trustProxy: 1, webauthn: serverWebAuthn });
  const msw = setupServer(...mock.handlers);
  msw.listen({ onUnhandledRequest: 'error' });
  return {
    baseUrl,
    clock: mock.clock,
    distinctClients: true,
    webauthn: webauthnTarget,
    close: () => msw.close(),
  };
}

/**
 * `apps/server` as a child process on a free port, over real HTTP (no clock control), behind
 * a trusted proxy, with passkeys for {@link PASSKEY_ORIGIN} and only {@link ALLOWED_AAGUID}'s
 * model allowed; on embedded PGlite unless `env` sets DATABASE_URL. `stop()` ends it and
 * removes its data directory.
 */
export async function appServerTarget(
  env: Record<string, string> = {},
): Promise<Target & { stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'twofold-cf-'));
  const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true }); // ~40 MB
  const expectedStore = env.DATABASE_URL ? 'store: PostgreSQL' : 'store: PGlite';
  let app: Awaited<ReturnType<typeof startApp>>;
  try {
    if (!env.DATABASE_URL) await seedPGliteDirectory(join(dataDir, 'db'));
    app = await startApp({
      TWOFOLD_DATA_DIR: dataDir,
      TWOFOLD_TRUST_PROXY: '1',
      // Passkeys as the in-process targets have them, the policy as an AAGUID allow-list.
      TWOFOLD_RP_ID: 'localhost',
      TWOFOLD_ORIGINS: PASSKEY_ORIGIN,
      TWOFOLD_WEBAUTHN_USER_VERIFICATION: 'required',
      TWOFOLD_WEBAUTHN_AAGUIDS: ALLOWED_AAGUID,
      ...env,
    });
  } catch (error) {
    removeDataDir();
    throw error;
  }
  if (!app.output().stdout.includes(expectedStore)) {
    await stopApp(app);
    removeDataDir();
    throw new Error(`apps/server did not start on ${expectedStore}:\n${app.output().stdout}`);
  }
  return {
    baseUrl: app.url,
    distinctClients: true,
    webauthn: { ...webauthnTarget, allowedAaguid: ALLOWED_AAGUID },
    async stop() {
      try {
        await stopApp(app, 'SIGTERM');
      } finally {
        removeDataDir();
      }
    },
  };
}

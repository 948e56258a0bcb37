import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  createTwofoldServer,
  type IncomingRequest,
  RECOMMENDED_SCRYPT,
  type Store,
  TwofoldConfigError,
  type TwofoldServer,
} from '@twofold/server';
import { createSmtpMailer, nodePasswordHasher } from '@twofold/server/node';
import {
  createPGliteStore,
  createPostgresStore,
  DirectoryInUseError,
} from '@twofold/server/postgres';
import { type AppConfig, ConfigError } from './config.js';
import { DEMO_DIR, demoAnswer, loadDemo } from './demo-files.js';
import type { Keys } from './keys.js';
import { passkeySettings } from './passkeys.js';

const require = createRequire(import.meta.url);
const OPENAPI_PATH = '/api/openapi.json';

export interface App {
  /** `handle` is what `serve()` uses (no Web Request/Response per request); `fetch` for the rest. */
  server: Pick<TwofoldServer, 'fetch' | 'handle' | 'ready'>;
  /** What the process says at start about its storage. */
  storeDescription: string;
  /** What the process says at start about passkeys: the rp id and the origins. */
  passkeysDescription: string;
  /** Where the demo app is, or why it is not served. */
  demoDescription: string;
  /** What the process says at start about CORS: the browser origins that may call the API. */
  corsDescription: string;
  close(): Promise<void>;
}

/** PostgreSQL when `DATABASE_URL` is set (several processes can share it), else embedded PGlite. */
function storeFor(config: AppConfig): { description: string; open(): Promise<Store> } {
  const { databaseUrl } = config;
  if (databaseUrl !== undefined) {
    return {
      description: `PostgreSQL at ${new URL(databaseUrl).host}`,
      open: () => createPostgresStore({ connectionString: databaseUrl }),
    };
  }
  const dataDir = join(config.dataDir, 'db');
  return {
    description: `PGlite (embedded) in ${dataDir}`,
    open: () => createPGliteStore({ dataDir }),
  };
}

/** The setting of this app behind each server option, so a refusal names what the operator sets. */
const SETTING_OF_OPTION: Record<string, string> = {
  secret: 'TWOFOLD_SECRET',
  encryptionKey: 'TWOFOLD_ENCRYPTION_KEY',
  previousEncryptionKeys: 'TWOFOLD_PREVIOUS_ENCRYPTION_KEYS',
  mailer: 'SMTP_URL',
  publicUrl: 'TWOFOLD_PUBLIC_URL',
  'cors.origins': '--cors-origins (TWOFOLD_CORS_ORIGINS)',
  verifyUrl: '--verify-url (TWOFOLD_VERIFY_URL)',
  'webauthn.rpId': '--rp-id (TWOFOLD_RP_ID)',
  'webauthn.rpName': '--rp-name (TWOFOLD_RP_NAME)',
  'webauthn.origins': '--origins (TWOFOLD_ORIGINS)',
};

/**
 * The reference server with this process's configuration, plus `GET /api/openapi.json`.
 * Resolves once the store is open; a bad option is refused before any database is touched.
 */
export async function createApp(config: AppConfig, keys: Keys, publicUrl: string): Promise<App> {
  const mailer =
    config.smtpUrl === undefined
      ? undefined
      : createSmtpMailer({ url: config.smtpUrl, from: config.smtpFrom });
  const storage = storeFor(config);
  let store: Store | undefined;
  let core: TwofoldServer;
  let passkeysDescription: string;
  let pageUrl: string;
  try {
    const passkeys = passkeySettings(config, publicUrl);
    passkeysDescription = passkeys.description;
    pageUrl = passkeys.pageUrl;
    // The server checks its options (key lengths, a mailer in production): one set of rules.
    core = createTwofoldServer({
      ...keys,
      previousEncryptionKeys: config.previousEncryptionKeys,
      mode: config.mode,
      // Opened only once the options pass: a refused start touches no database.
      store: async () => {
        try {
          store = await storage.open();
        } catch (error) {
          // Another server on the same --data-dir: the operator's mistake, said plainly.
          if (error instanceof DirectoryInUseError) throw new ConfigError(error.message);
          throw error;
        }
        return store;
      },
      passwordHasher: nodePasswordHasher({ ...RECOMMENDED_SCRYPT, logN: config.scryptLogN }),
      publicUrl,
      ...(config.verifyUrl === undefined ? {} : { verifyUrl: config.verifyUrl }),
      webauthn: passkeys.options,
      // Authenticator apps list the entry as `Twofold:ada`, not the crate's `AuthFramework:<uuid>`.
      totpIssuer: config.totpIssuer,
      totpAccount: (user) => user.username,
      ...(mailer === undefined ? {} : { mailer }),
      ...(config.corsOrigins.length > 0 ? { cors: { origins: config.corsOrigins } } : {}),
      ...(config.trustProxy > 0 ? { trustProxy: config.trustProxy } : {}),
    });
  } catch (error) {
    mailer?.close();
    if (!(error instanceof TwofoldConfigError)) throw error;
    throw new ConfigError(`${SETTING_OF_OPTION[error.option] ?? error.option} ${error.problem}`);
  }
  try {
    await core.ready; // opens the store, or rejects with why it could not
  } catch (error) {
    // Keys other than the ones the store was first used with: said as the setting to fix.
    if (!(error instanceof TwofoldConfigError)) throw error;
    mailer?.close();
    await store?.close();
    throw new ConfigError(`${SETTING_OF_OPTION[error.option] ?? error.option} ${error.problem}`);
  }
  const openapi = readFileSync(require.resolve('@twofold/contract/openapi.json'), 'utf8');
  const openapiHeaders = (request: Pick<IncomingRequest, 'headers'>) => ({
    // The API's own security and CORS headers: a page that may call the API may read its
    // description (code generators in the browser), and nothing else may frame or sniff it.
    ...core.responseHeaders(request),
    'Cache-Control': 'no-cache',
  });
  const isOpenapi = (request: Pick<IncomingRequest, 'method' | 'url'>) =>
    request.method === 'GET' && new URL(request.url).pathname === OPENAPI_PATH;
  const demo = config.demo ? loadDemo() : undefined;
  const server: App['server'] = {
    ready: core.ready,
    async handle(request, connection) {
      if (isOpenapi(request))
        return { status: 200, headers: openapiHeaders(request), body: openapi };
      const page = demo === undefined ? undefined : demoAnswer(demo, request);
      return page ?? core.handle(request, connection);
    },
    async fetch(request, connection) {
      if (isOpenapi(request)) return new Response(openapi, { headers: openapiHeaders(request) });
      const page = demo === undefined ? undefined : demoAnswer(demo, request);
      if (page !== undefined) return new Response(page.body, page);
      return core.fetch(request, connection);
    },
  };
  const demoDescription = !config.demo
    ? 'off (--demo yes serves it)'
    : demo === undefined
      ? `not built (${DEMO_DIR} has no index.html; pnpm build makes it)`
      : // By name on a loopback IP: passkeys work there, and on 127.0.0.1 they cannot.
        `open ${pageUrl}/`;
  return {
    server,
    storeDescription: storage.description,
    passkeysDescription,
    demoDescription,
    corsDescription:
      config.corsOrigins.length === 0 && config.mode === 'production'
        ? `${core.allowedOrigins}; browser pages cannot call the API until --cors-origins (TWOFOLD_CORS_ORIGINS) names them`
        : `allowed from ${core.allowedOrigins}`,
    async close() {
      // The mail worker first: a pass under way finishes before the relay and store go.
      await core.close();
      mailer?.close();
      await store?.close();
    },
  };
}

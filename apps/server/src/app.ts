import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createTwofoldServer, MemoryStore, type TwofoldServer } from '@twofold/server';
import { createSmtpMailer, nodePasswordHasher } from '@twofold/server/node';
import { type AppConfig, ConfigError } from './config.js';
import type { Keys } from './keys.js';

const require = createRequire(import.meta.url);
const OPENAPI_PATH = '/api/openapi.json';

export interface App {
  server: Pick<TwofoldServer, 'fetch' | 'ready'>;
  /** What the process says at start about its storage. */
  storeDescription: string;
  close(): Promise<void>;
}

/** The reference server with this process's configuration, plus `GET /api/openapi.json`. */
export function createApp(config: AppConfig, keys: Keys, publicUrl: string): App {
  if (config.mode === 'production' && config.smtpUrl === undefined) {
    throw new ConfigError('production mode needs SMTP_URL: verification emails must reach users');
  }
  const mailer =
    config.smtpUrl === undefined
      ? undefined
      : createSmtpMailer({ url: config.smtpUrl, from: config.smtpFrom });
  const store = new MemoryStore();
  const core = createTwofoldServer({
    ...keys,
    mode: config.mode,
    store,
    passwordHasher: nodePasswordHasher(),
    publicUrl,
    ...(mailer === undefined ? {} : { mailer }),
    ...(config.corsOrigins.length > 0 ? { cors: { origins: config.corsOrigins } } : {}),
    ...(config.trustProxy > 0 ? { trustProxy: config.trustProxy } : {}),
  });
  const openapi = readFileSync(require.resolve('@twofold/contract/openapi.json'), 'utf8');
  const server: App['server'] = {
    ready: core.ready,
    async fetch(request, connection) {
      if (new URL(request.url).pathname === OPENAPI_PATH && request.method === 'GET') {
        return new Response(openapi, {
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'Cache-Control': 'no-cache',
            'X-Content-Type-Options': 'nosniff',
          },
        });
      }
      return core.fetch(request, connection);
    },
  };
  return {
    server,
    storeDescription: 'memory (everything is lost on restart; persistent storage is not built yet)',
    async close() {
      mailer?.close();
      await store.close();
    },
  };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTwofoldMock } from '@twofold/mock';
import {
  createTwofoldServer,
  scryptPasswordHasher,
  type TwofoldServerOptions,
} from '@twofold/server';
import { setupServer } from 'msw/node';
import type { Target } from '../src/index.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** The server core in-process: fetch calls `server.fetch`, the clock is the test's. */
export function inProcessTarget(
  options: Partial<TwofoldServerOptions> = {},
): Target & { fetch: typeof fetch } {
  let offset = 0;
  const now = () => Date.now() + offset;
  const server = createTwofoldServer({
    secret: 'conformance in-process secret, 32+ bytes long',
    encryptionKey: 'conformance in-process encryption key, 32+ bytes',
    mode: 'development',
    passwordHasher: scryptPasswordHasher({ logN: 8, r: 8, p: 1 }),
    now,
    trustProxy: 1,
    logger: quiet,
    ...options,
  });
  return {
    baseUrl: 'http://in-process.twofold.test',
    fetch: (input, init) => server.fetch(new Request(input, init), { clientAddress: '127.0.0.1' }),
    clock: {
      now,
      advance: (ms) => {
        offset += ms;
      },
    },
    distinctClients: true,
  };
}

/** The mock on msw/node; `close()` stops intercepting. */
export function mockTarget(): Target & { close(): void } {
  const baseUrl = 'http://mock.twofold.test';
  const mock = createTwofoldMock({ baseUrl, trustProxy: 1 });
  const msw = setupServer(...mock.handlers);
  msw.listen({ onUnhandledRequest: 'error' });
  return { baseUrl, clock: mock.clock, distinctClients: true, close: () => msw.close() };
}

/**
 * `apps/server` as a child process on a free port, over real HTTP (no clock control); on
 * embedded PGlite unless `env` sets DATABASE_URL.
 */
export async function appServerTarget(
  env: Record<string, string> = {},
): Promise<Target & { stop(): Promise<void> }> {
  const main = fileURLToPath(new URL('../../../apps/server/src/main.ts', import.meta.url));
  const dataDir = mkdtempSync(join(tmpdir(), 'twofold-cf-'));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@twofold/source', '--import', 'tsx', main, '--port', '0'],
    {
      env: {
        ...process.env,
        TWOFOLD_DATA_DIR: dataDir,
        TWOFOLD_TRUST_PROXY: '1',
        TWOFOLD_MODE: 'development',
        DATABASE_URL: '',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const expectedStore = env.DATABASE_URL ? 'store: PostgreSQL' : 'store: PGlite';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 60_000;
  let url: string | undefined;
  while (url === undefined) {
    url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
    if (url !== undefined) {
      if (!output.includes(expectedStore))
        throw new Error(`apps/server did not start on ${expectedStore}:\n${output}`);
      break;
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`apps/server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    baseUrl: url,
    distinctClients: true,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true }); // the embedded database is ~40 MB
    },
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  announceNotRun,
  databaseUrl,
  dropSchemas,
  postgresAvailable,
  seedPGliteDirectory,
  testServerOptions,
  uniqueSchema,
} from '@twofold/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createPGliteStore, createPostgresStore } from '../src/postgres.js';
import { createTwofoldServer } from '../src/server.js';
import { MemoryStore } from '../src/store/memory-store.js';
import type { Store } from '../src/store/store.js';

// Client input that no store can hold (NUL, unpaired surrogates, text longer than any index
// takes) is refused at the edge or finds nothing; it never reaches the database as a 500.
// Before issue 14, `a\u0000b@x.io` at registration and 3,000 CJK characters at resend answered
// 500 INTERNAL_ERROR on PostgreSQL, and the error log printed the statement's parameters.

const API = 'http://localhost/api/v1';
const CJK = '字'.repeat(3000);

/** Each request, and the code it must be answered with (never a 5xx). */
const HOSTILE: { what: string; method: string; path: string; body?: unknown; code?: string }[] = [
  {
    what: 'NUL in the email at registration',
    method: 'POST',
    path: '/auth/register',
    body: { username: 'nul1', email: 'a\u0000b@x.io', password: 'password123' },
    code: 'VALIDATION_ERROR',
  },
  {
    what: 'an unpaired surrogate in the password',
    method: 'POST',
    path: '/auth/register',
    body: { username: 'half1', email: 'half@x.io', password: 'pass\ud800word123' },
    code: 'VALIDATION_ERROR',
  },
  {
    what: 'a display name around the address',
    method: 'POST',
    path: '/auth/register',
    body: { username: 'named', email: '"x"<victim@example.com>', password: 'password123' },
    code: 'VALIDATION_ERROR',
  },
  {
    what: '3,000 CJK characters to resend to',
    method: 'POST',
    path: '/auth/resend-verification',
    body: { email: `${CJK}@x.io` },
    code: 'VALIDATION_ERROR',
  },
  {
    what: 'a username of 3,000 CJK characters at login',
    method: 'POST',
    path: '/auth/login',
    body: { username: CJK, password: 'password123' },
    code: 'INVALID_CREDENTIALS',
  },
  {
    what: 'a challenge id of 3,000 characters',
    method: 'POST',
    path: '/auth/login',
    body: { username: 'ada', password: 'password123', challenge_id: CJK, mfa_code: '123456' },
  },
  {
    what: 'NUL in a refresh token',
    method: 'POST',
    path: '/auth/refresh',
    body: { refresh_token: 'a\u0000b' },
    code: 'VALIDATION_ERROR',
  },
  {
    what: 'an unpaired surrogate in a verification token',
    method: 'POST',
    path: '/auth/verify-email',
    body: { token: '\udc00token' },
    code: 'VALIDATION_ERROR',
  },
  { what: 'NUL in the outbox address', method: 'GET', path: '/dev/outbox?to=a%00b%40x.io' },
  { what: 'a 3,000-character outbox address', method: 'GET', path: `/dev/outbox?to=${CJK}` },
];

function describeStore(name: string, open: () => Promise<{ store: Store; done(): Promise<void> }>) {
  describe(`hostile input on ${name}`, { timeout: 60_000 }, () => {
    it('answers every request with a 4xx envelope (or an empty outbox), logging no error', async () => {
      const { store, done } = await open();
      const errors: unknown[] = [];
      const server = createTwofoldServer(
        testServerOptions({
          store,
          logger: { info: () => {}, warn: () => {}, error: (...args) => errors.push(args) },
        }),
      );
      try {
        await server.admin.createUser({
          username: 'ada',
          email: 'ada@example.test',
          password: 'password123',
          mfa: {},
        });
        for (const { what, method, path, body, code } of HOSTILE) {
          const response = await server.fetch(
            new Request(`${API}${path}`, {
              method,
              ...(body === undefined
                ? {}
                : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
            }),
          );
          const answer = (await response.json()) as {
            success: boolean;
            data?: unknown;
            error?: { code: string };
          };
          expect(response.status, what).toBeLessThan(500);
          if (method === 'GET') expect(answer.data, what).toEqual([]);
          else expect(answer.success, what).toBe(false);
          if (code !== undefined) expect(answer.error?.code, what).toBe(code);
        }
        expect(errors).toEqual([]);
      } finally {
        await done();
      }
    });
  });
}

describeStore('the memory store', async () => {
  const store = new MemoryStore();
  return { store, done: () => store.close() };
});

describeStore('PGlite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'twofold-hostile-'));
  await seedPGliteDirectory(dataDir);
  const store = await createPGliteStore({ dataDir, sweepIntervalMs: 0 });
  return {
    store,
    async done() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

const schemas: string[] = [];
afterAll(() => dropSchemas(schemas));
if (await postgresAvailable()) {
  describeStore('PostgreSQL', async () => {
    const schema = uniqueSchema('hostile');
    schemas.push(schema);
    const store = await createPostgresStore({
      connectionString: databaseUrl,
      schema,
      sweepIntervalMs: 0,
    });
    return { store, done: () => store.close() };
  });
} else {
  announceNotRun('hostile input on PostgreSQL (test/hostile-input.test.ts)');
}

describe('what an unexpected error logs', () => {
  it("logs the error's message and stack, never its fields (a database error's parameters)", async () => {
    const memory = new MemoryStore();
    const failing = new Proxy(memory, {
      get(target, name, receiver) {
        if (name !== 'getMany') return Reflect.get(target, name, receiver)?.bind?.(target);
        return async () => {
          throw Object.assign(new Error('relation is broken'), {
            query: 'SELECT …',
            params: ['$scrypt$ln=17,r=8,p=1$secret-salt$secret-hash'],
          });
        };
      },
    });
    const logged: unknown[][] = [];
    const server = createTwofoldServer(
      testServerOptions({
        store: failing,
        logger: { info: () => {}, warn: () => {}, error: (...args) => logged.push(args) },
      }),
    );
    await server.admin.createUser({
      username: 'ada',
      email: 'ada@example.test',
      password: 'password123',
    });
    const login = await server.fetch(
      new Request(`${API}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'ada', password: 'password123' }),
      }),
    );
    const { data } = (await login.json()) as { data: { access_token: string } };
    const status = await server.fetch(
      new Request(`${API}/mfa/status`, {
        headers: { Authorization: `Bearer ${data.access_token}` },
      }),
    );
    expect(status.status).toBe(500);
    const text = inspect(logged, { depth: 10 });
    expect(text).toContain('relation is broken');
    expect(text).not.toContain('secret-hash');
    expect(text).not.toContain('SELECT');
  });
});

import {
  announceNotRun,
  databaseUrl,
  postgresAvailable,
  testServerOptions,
} from '@twofold/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/postgres.js';
import { createTwofoldServer } from '../src/server.js';

// Spec §6 rule 6: while PostgreSQL is away the server answers SERVICE_UNAVAILABLE (503,
// Retry-After), never crashes or hangs, and recovers by itself when the database returns.
// Before issue 14 an idle connection terminated by the database ended the process with
// "Unhandled 'error' event".

const API = 'http://localhost/api/v1';
const database = `twofold_outage_${process.pid}_${Date.now().toString(36)}`;
const urlOf = (name: string) => {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

/** Runs `sql` on the server's maintenance connection (not on the database under test). */
async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const terminateBackends = () =>
  admin(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}' AND pid <> pg_backend_pid()`,
  );

if (await postgresAvailable()) {
  describe('PostgreSQL going away (spec §6 rule 6)', { timeout: 60_000 }, () => {
    afterAll(() => admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));

    it('answers 503 with Retry-After while the database is away, and recovers by itself', async () => {
      await admin(`CREATE DATABASE ${database}`);
      const lost: unknown[] = [];
      const warnings: string[] = [];
      const store = await createPostgresStore({
        connectionString: urlOf(database),
        sweepIntervalMs: 0,
        onError: (error) => lost.push(error),
      });
      const server = createTwofoldServer(
        testServerOptions({
          store,
          logger: { info: () => {}, warn: (line) => warnings.push(line), error: () => {} },
        }),
      );
      const call = async (path: string, init: RequestInit = {}) => {
        const started = performance.now();
        const response = await server.fetch(new Request(`${API}${path}`, init));
        const body = (await response.json()) as { error?: { code: string } };
        return { response, body, ms: performance.now() - started };
      };
      const register = (username: string) =>
        call('/auth/register', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            username,
            email: `${username}@example.test`,
            password: 'pw-12345678',
          }),
        });
      try {
        expect((await register('before')).response.status).toBe(200);

        // Every connection of the pool is cut: no crash (the pool reports it), and the next
        // requests are served on fresh connections.
        await terminateBackends();
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(lost.length).toBeGreaterThan(0);
        const afterCut = await register('after-cut');
        expect([200, 503]).toContain(afterCut.response.status);
        expect((await register('after-cut-2')).response.status).toBe(200);

        // The database is gone: 503 SERVICE_UNAVAILABLE with Retry-After, promptly.
        await admin(`DROP DATABASE ${database} WITH (FORCE)`);
        for (const username of ['away1', 'away2', 'away3']) {
          const away = await register(username);
          expect(away.response.status).toBe(503);
          expect(away.body.error?.code).toBe('SERVICE_UNAVAILABLE');
          expect(away.response.headers.get('Retry-After')).toBe('5');
          expect(away.ms).toBeLessThan(6_000);
        }
        expect(warnings.filter((line) => line.includes('unreachable'))).toHaveLength(1);

        // Back (restored, with its schema): served again without a restart.
        await admin(`CREATE DATABASE ${database}`);
        const restored = await createPostgresStore({
          connectionString: urlOf(database),
          sweepIntervalMs: 0,
        });
        await restored.close();
        expect((await register('back')).response.status).toBe(200);
      } finally {
        await store.close();
      }
    });
  });
} else {
  announceNotRun('PostgreSQL outage (test/postgres-outage.test.ts)');
}

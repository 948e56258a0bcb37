import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  announceNotRun,
  databaseUrl,
  dropSchemas,
  postgresAvailable,
  seedPGliteDirectory,
  testClock,
  uniqueSchema,
} from '@twofold/testing';
import { afterAll, describe, expect, it } from 'vitest';

/** PGlite directories of this file (~40 MB each), removed at the end. */
const directories: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  directories.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
});
/** A fresh database without the initdb wait (the reopen test below creates one for real). */
const seededDir = async (prefix: string) => {
  const dir = tempDir(prefix);
  await seedPGliteDirectory(dir);
  return dir;
};

import { migrate, SCHEMA_VERSION } from '../src/postgres/migrations.js';
import { pgliteSqlClient } from '../src/postgres/pglite-client.js';
import { createPGliteStore, createPostgresStore } from '../src/postgres.js';

describe('SqlStore on PGlite', { timeout: 60_000 }, () => {
  it('sweeps expired rows in the background of requests, leaving live ones', async () => {
    const clock = testClock();
    const store = await createPGliteStore({
      dataDir: await seededDir('twofold-sweep-'),
      now: clock.now,
      sweepIntervalMs: 0,
    });
    try {
      for (let i = 0; i < 5; i++) await store.set(`short${i}`, i, { ttlMs: 1000 });
      await store.set('long', 'kept', { ttlMs: 60_000 });
      await store.set('forever', 'kept');
      clock.advance(1000);
      expect(await store.sweep(2)).toBe(2);
      expect(await store.sweep()).toBe(3);
      expect(await store.sweep()).toBe(0);
      expect((await store.get('long'))?.value).toBe('kept');
      expect((await store.get('forever'))?.value).toBe('kept');
    } finally {
      await store.close();
    }
  });

  it('keeps its data across a reopen of the same directory', async () => {
    const dataDir = tempDir('twofold-reopen-');
    const first = await createPGliteStore({ dataDir, sweepIntervalMs: 0 });
    await first.set('k', { durable: true });
    await first.close();
    const second = await createPGliteStore({ dataDir, sweepIntervalMs: 0 });
    try {
      expect((await second.get('k'))?.value).toEqual({ durable: true });
    } finally {
      await second.close();
    }
  });

  it('keeps serving after a failed statement, and rolls a failed transaction back whole', async () => {
    const { PGlite, protocol } = await import('@electric-sql/pglite');
    const db = await PGlite.create(await seededDir('twofold-errors-'));
    const client = pgliteSqlClient(db as never, protocol.serialize);
    try {
      await client.query('CREATE TABLE t (n integer PRIMARY KEY)');
      await expect(client.query('SELECT * FROM no_such_table WHERE n = $1', [1])).rejects.toThrow(
        /no_such_table/,
      );
      await expect(
        client.transaction(async (tx) => {
          await tx.query('INSERT INTO t (n) VALUES ($1)', [1]);
          await tx.query('INSERT INTO t (n) VALUES ($1)', [1]); // duplicate key
        }),
      ).rejects.toThrow(/duplicate key/);
      // A query sent while a transaction runs waits for it, never lands inside it.
      const inside = client.transaction(async (tx) => {
        await tx.query('INSERT INTO t (n) VALUES ($1)', [2]);
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error('changed my mind');
      });
      const outside = client.query('INSERT INTO t (n) VALUES ($1)', [3]);
      await expect(inside).rejects.toThrow('changed my mind');
      expect((await outside).rowCount).toBe(1);
      const { rows } = await client.query<{ n: number }>('SELECT n FROM t ORDER BY n');
      expect(rows).toEqual([{ n: 3 }]);
    } finally {
      await client.close();
    }
  });

  it('refuses a second opener of its directory, naming the process that has it', async () => {
    const dataDir = await seededDir('twofold-lock-');
    const first = await createPGliteStore({ dataDir, sweepIntervalMs: 0 });
    try {
      await expect(createPGliteStore({ dataDir, sweepIntervalMs: 0 })).rejects.toThrow(
        `the PGlite directory ${dataDir} is in use by process ${process.pid}`,
      );
      await first.set('k', 'kept');
    } finally {
      await first.close();
    }
    // Closed: the directory is free again, with what the first one wrote.
    const second = await createPGliteStore({ dataDir, sweepIntervalMs: 0 });
    try {
      expect((await second.get('k'))?.value).toBe('kept');
    } finally {
      await second.close();
    }
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dataDir = await seededDir('twofold-stale-lock-');
    // A process id that is not running (ids above the kernel's pid_max never are).
    writeFileSync(join(dataDir, 'twofold.lock'), '4194305');
    const store = await createPGliteStore({ dataDir, sweepIntervalMs: 0 });
    try {
      expect(readFileSync(join(dataDir, 'twofold.lock'), 'utf8')).toBe(String(process.pid));
    } finally {
      await store.close();
    }
    expect(existsSync(join(dataDir, 'twofold.lock'))).toBe(false);
  });

  it('refuses a database migrated by a newer server', async () => {
    const { PGlite, protocol } = await import('@electric-sql/pglite');
    const db = await PGlite.create(await seededDir('twofold-newer-'));
    const client = pgliteSqlClient(db as never, protocol.serialize);
    await migrate(client, 'twofold');
    await client.query(`INSERT INTO "twofold".twofold_migrations (version) VALUES ($1)`, [
      SCHEMA_VERSION + 1,
    ]);
    await expect(migrate(client, 'twofold')).rejects.toThrow(/newer than this server/);
    await client.close();
  });
});

const schemas: string[] = [];
if (await postgresAvailable()) {
  describe('SqlStore on PostgreSQL', { timeout: 60_000 }, () => {
    afterAll(() => dropSchemas(schemas));

    it('migrates safely when 5 processes start at once', async () => {
      const schema = uniqueSchema('migrate');
      schemas.push(schema);
      const stores = await Promise.all(
        Array.from({ length: 5 }, () =>
          createPostgresStore({
            connectionString: databaseUrl,
            schema,
            sweepIntervalMs: 0,
            max: 2,
          }),
        ),
      );
      try {
        await stores[0]?.set('k', 1);
        expect((await stores[4]?.get('k'))?.value).toBe(1);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });

    it('shares state between two stores (two server processes) on one database', async () => {
      const schema = uniqueSchema('shared');
      schemas.push(schema);
      const a = await createPostgresStore({
        connectionString: databaseUrl,
        schema,
        sweepIntervalMs: 0,
      });
      const b = await createPostgresStore({
        connectionString: databaseUrl,
        schema,
        sweepIntervalMs: 0,
      });
      try {
        await a.set('prize', 'x');
        const results = await Promise.all([
          ...Array.from({ length: 50 }, () => a.consume('prize')),
          ...Array.from({ length: 50 }, () => b.consume('prize')),
        ]);
        expect(results.filter((r) => r !== undefined)).toEqual(['x']);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
} else {
  announceNotRun('SqlStore on PostgreSQL (test/sql-store.test.ts)');
}

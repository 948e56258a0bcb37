import { importPeer } from '../optional-peer.js';
import type { DirectoryLock } from './directory-lock.js';
import { migrate } from './migrations.js';
import { type PGliteLike, pgliteSqlClient } from './pglite-client.js';
import { type PgPoolLike, pgSqlClient, type SqlClient } from './sql-client.js';
import { SqlStore, type SqlStoreOptions } from './sql-store.js';

/** Migrates, then wraps the client in a store; a failed migration closes the client. */
async function migratedStore(client: SqlClient, options: SqlStoreOptions): Promise<SqlStore> {
  try {
    await migrate(client, options.schema ?? 'twofold');
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
  return new SqlStore(client, options);
}

export interface PostgresStoreOptions extends SqlStoreOptions {
  /** `postgres://user:pass@host:5432/db`; or pass your own `pool`. */
  connectionString?: string;
  /** A `pg.Pool` (or anything with its query/connect/end). */
  pool?: PgPoolLike;
  /** Connections in the pool when it is made here (default 10). */
  max?: number;
}

/**
 * A {@link SqlStore} on PostgreSQL through `pg`: migrated on creation (safe from several
 * processes at once), for deployments of several stateless server processes on one database.
 *
 * @example
 * ```ts
 * import { createPostgresStore } from '@twofold/server/postgres';
 * const store = await createPostgresStore({ connectionString: 'postgres://twofold@db.internal:5432/twofold' });
 * await store.set('greeting', 'hello', { ttlMs: 60_000 });
 * (await store.get('greeting'))?.value; // 'hello'
 * await store.close();
 * ```
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<SqlStore> {
  const reportPoolError =
    options.onError ??
    ((error: unknown) =>
      console.error('twofold: a PostgreSQL connection was lost; the pool reconnects', error));
  let pool = options.pool;
  if (pool === undefined) {
    if (options.connectionString === undefined)
      throw new Error('createPostgresStore needs a connectionString or a pool');
    const { default: pg } = await importPeer('createPostgresStore', 'pg', () => import('pg'));
    const made = new pg.Pool({
      connectionString: options.connectionString,
      max: options.max ?? 10,
      // While the database is away, a request fails within seconds instead of waiting for it.
      connectionTimeoutMillis: 5_000,
      query_timeout: 10_000,
    });
    // An idle connection that the database drops (restart, failover, idle timeout) is reported
    // here; unheard, it would end the process. The pool replaces it on the next query.
    made.on('error', (error) => reportPoolError(error));
    pool = made as unknown as PgPoolLike;
  }
  const client = pgSqlClient(pool);
  return migratedStore(client, options);
}

export interface PGliteStoreOptions extends SqlStoreOptions {
  /** Directory of the embedded database; created if missing. */
  dataDir: string;
}

/**
 * A {@link SqlStore} on PGlite (PostgreSQL compiled to WASM, a directory on disk, nothing to
 * install): the same schema and queries as PostgreSQL, for a single process.
 *
 * @example
 * ```ts
 * import { createPGliteStore } from '@twofold/server/postgres';
 * const store = await createPGliteStore({ dataDir: '.twofold/db' });
 * await store.insert('challenge:1', { user: 'ada' }, { ttlMs: 300_000 }); // true
 * await store.consume('challenge:1'); // { user: 'ada' }
 * await store.close();
 * ```
 */
export async function createPGliteStore(options: PGliteStoreOptions): Promise<SqlStore> {
  const { PGlite, protocol } = await importPeer(
    'createPGliteStore',
    '@electric-sql/pglite',
    () => import('@electric-sql/pglite'),
  );
  // A path on disk (not `memory://` or `idb://`): PGlite creates only the last directory, and
  // only one process may have it open.
  let lock: DirectoryLock | undefined;
  if (!/^[a-z]+:\/\//.test(options.dataDir)) {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(options.dataDir, { recursive: true });
    const { lockDirectory } = await import('./directory-lock.js');
    lock = await lockDirectory(options.dataDir);
  }
  let db: PGliteLike;
  try {
    db = (await PGlite.create(options.dataDir)) as unknown as PGliteLike;
  } catch (error) {
    lock?.release();
    throw error;
  }
  const client = pgliteSqlClient(db, protocol.serialize);
  return migratedStore(
    {
      ...client,
      async close() {
        await client.close();
        lock?.release();
      },
    },
    options,
  );
}

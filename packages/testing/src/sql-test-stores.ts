import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPGliteStore,
  createPostgresStore,
  type PGliteStoreOptions,
  type PostgresStoreOptions,
  type SqlStore,
} from '@twofold/server/postgres';
import { seedPGliteDirectory } from './pglite-template.js';
import { databaseUrl, dropSchemas, uniqueSchema } from './postgres-env.js';
import { cleanUpAtTestEnd } from './test-end.js';

/**
 * Replaces `store.close` by one that also runs `cleanUp` afterwards, once however often it is
 * called; a store made inside a test is also closed when the test ends (even by a timeout).
 */
function cleanUpOnClose(store: SqlStore, cleanUp: () => void | Promise<void>): SqlStore {
  const close = store.close.bind(store);
  let closing: Promise<void> | undefined;
  store.close = () => {
    closing ??= (async () => {
      try {
        await close();
      } finally {
        await cleanUp();
      }
    })();
    return closing;
  };
  cleanUpAtTestEnd(() => store.close());
  return store;
}

/**
 * A PGlite store in a new temporary directory (a fresh database, from the initialised template),
 * removed by `close()` (each one is ~40 MB). No background sweep unless asked for.
 *
 * @example
 * ```ts
 * const store = await temporaryPGliteStore({ now: clock.now });
 * try { … } finally { await store.close(); }
 * ```
 */
export async function temporaryPGliteStore(
  options: Omit<PGliteStoreOptions, 'dataDir'> = {},
): Promise<SqlStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'twofold-pglite-'));
  const remove = () => rmSync(dataDir, { recursive: true, force: true });
  try {
    await seedPGliteDirectory(dataDir);
    const store = await createPGliteStore({ sweepIntervalMs: 0, ...options, dataDir });
    return cleanUpOnClose(store, remove);
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * A PostgreSQL store (the test database, see `databaseUrl`) in a fresh schema, dropped by
 * `close()`. No background sweep unless asked for.
 */
export async function temporaryPostgresStore(
  options: Omit<PostgresStoreOptions, 'connectionString' | 'pool' | 'schema'> & {
    /** Start of the schema name. */
    prefix?: string;
  } = {},
): Promise<SqlStore> {
  const { prefix = 'test', ...storeOptions } = options;
  const schema = uniqueSchema(prefix);
  try {
    const store = await createPostgresStore({
      sweepIntervalMs: 0,
      ...storeOptions,
      connectionString: databaseUrl,
      schema,
    });
    return cleanUpOnClose(store, () => dropSchemas([schema]));
  } catch (error) {
    await dropSchemas([schema]).catch(() => {});
    throw error;
  }
}

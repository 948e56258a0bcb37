// Persistent stores: PostgreSQL through `pg`, and PGlite (embedded) with the same SQL.
export {
  createPGliteStore,
  createPostgresStore,
  type PGliteStoreOptions,
  type PostgresStoreOptions,
} from './postgres/create-stores.js';
export { DirectoryInUseError } from './postgres/directory-lock.js';
export type { PgPoolLike } from './postgres/sql-client.js';
// The store both factories return; built only by them (they migrate the schema first).
export type { SqlStore, SqlStoreOptions } from './postgres/sql-store.js';

// Persistent stores: PostgreSQL through `pg`, and PGlite (embedded) with the same SQL.
export {
  createPGliteStore,
  createPostgresStore,
  type PGliteStoreOptions,
  type PostgresStoreOptions,
} from './postgres/create-stores.js';
export { SCHEMA_VERSION } from './postgres/migrations.js';
export type { PGliteLike, PgPoolLike, SqlClient } from './postgres/sql-client.js';
export { SqlStore, type SqlStoreOptions } from './postgres/sql-store.js';

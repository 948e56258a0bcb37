import type { SqlClient } from './sql-client.js';

/** Versioned schema changes, applied in order, each once. `{s}` is the schema, quoted. */
const MIGRATIONS: readonly { version: number; statements: readonly string[] }[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE {s}.twofold_kv (
         key text PRIMARY KEY,
         value jsonb NOT NULL,
         version bigint NOT NULL,
         expires_at bigint
       )`,
      'CREATE INDEX twofold_kv_expires_at ON {s}.twofold_kv (expires_at) WHERE expires_at IS NOT NULL',
    ],
  },
];

/**
 * The latest schema version this code knows; a database migrated further is refused.
 *
 * @example
 * ```ts
 * import { SCHEMA_VERSION } from '@twofold/server/postgres';
 * SCHEMA_VERSION; // 1
 * ```
 */
export const SCHEMA_VERSION: number = MIGRATIONS.at(-1)?.version ?? 0;

/**
 * Brings `schema` up to date. Safe from several processes at once: the whole run holds a
 * transaction-scoped advisory lock, so one process migrates and the others then find nothing
 * left to do. Refuses a database migrated by newer code.
 */
export async function migrate(client: SqlClient, schema: string): Promise<void> {
  const s = `"${schema}"`;
  await client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`twofold:${schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${s}.twofold_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await tx.query<{ version: number | string }>(
      `SELECT version FROM ${s}.twofold_migrations`,
    );
    const applied = new Set(rows.map((row) => Number(row.version)));
    const newest = Math.max(0, ...applied);
    if (newest > SCHEMA_VERSION) {
      throw new Error(
        `the database schema is at version ${newest}, newer than this server (${SCHEMA_VERSION}); upgrade the server`,
      );
    }
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) await tx.query(statement.replaceAll('{s}', s));
      await tx.query(`INSERT INTO ${s}.twofold_migrations (version) VALUES ($1)`, [
        migration.version,
      ]);
    }
  });
}

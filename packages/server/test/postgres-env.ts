import pg from 'pg';

/**
 * Where the PostgreSQL tests connect. CI sets TWOFOLD_TEST_DATABASE_URL and the tests must fail
 * when they cannot connect; without it the local default is tried, and when nothing answers
 * the PostgreSQL tests are reported as NOT RUN (loudly) instead of passing.
 */
export const configuredUrl = process.env.TWOFOLD_TEST_DATABASE_URL;
export const databaseUrl = configuredUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function postgresAvailable(): Promise<boolean> {
  if (configuredUrl !== undefined) return true; // configured: connect or fail, never skip
  return postgresReachableAt();
}

/** Whether a PostgreSQL server answers at `url` (within 2 s). */
export async function postgresReachableAt(url = databaseUrl): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export function announceNotRun(what: string): void {
  const line = '!'.repeat(78);
  console.warn(
    `\n${line}\n!! PostgreSQL tests NOT RUN: ${what}\n!! no server at ${databaseUrl}; set TWOFOLD_TEST_DATABASE_URL to run them.\n${line}\n`,
  );
}

/** A fresh schema name per test run, so runs never see each other's rows. */
export const uniqueSchema = (prefix: string) =>
  `${prefix}_${process.pid}_${Date.now().toString(36)}`;

/** Drops the test schemas a run created. */
export async function dropSchemas(schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A new, empty database (for a whole server process), and how to drop it afterwards. */
export async function freshDatabase(
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

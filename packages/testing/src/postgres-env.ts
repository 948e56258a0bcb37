import pg from 'pg';
import { cleanUpAtTestEnd } from './test-end.js';

/**
 * Where the PostgreSQL tests connect. CI sets TWOFOLD_TEST_DATABASE_URL and the tests must fail
 * when they cannot connect; without it the local default is tried, and when nothing answers
 * the PostgreSQL tests are reported as NOT RUN (loudly) instead of passing.
 */
export const configuredUrl: string | undefined = process.env.TWOFOLD_TEST_DATABASE_URL;
export const databaseUrl: string = configuredUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Whether to run the PostgreSQL tests: always when a URL is configured (they then fail if it
 * cannot be reached, never skip), else when the local default answers.
 */
export async function postgresAvailable(): Promise<boolean> {
  if (configuredUrl !== undefined) return true;
  return postgresReachableAt();
}

/** Whether a PostgreSQL server answers at `url` (within 2 s). */
export async function postgresReachableAt(url: string = databaseUrl): Promise<boolean> {
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

/** Says loudly, in the test output, that `what` did not run for want of a database. */
export function announceNotRun(what: string): void {
  const line = '!'.repeat(78);
  console.warn(
    `\n${line}\n!! PostgreSQL tests NOT RUN: ${what}\n!! no server at ${databaseUrl}; set TWOFOLD_TEST_DATABASE_URL to run them.\n${line}\n`,
  );
}

let schemaCount = 0;

/** A fresh schema name per call, so runs and tests never see each other's rows. */
export const uniqueSchema = (prefix: string): string =>
  `${prefix}_${process.pid}_${Date.now().toString(36)}_${++schemaCount}`;

/** Drops test schemas (and everything in them). */
export async function dropSchemas(schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * A new, empty database (for a whole server process), and how to drop it afterwards; made inside
 * a test, it is also dropped when the test ends.
 */
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
  async function drop(): Promise<void> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
  // Made inside a test: dropped when it ends, even by a timeout (whose `finally` never runs).
  cleanUpAtTestEnd(drop);
  return { url: url.toString(), drop };
}

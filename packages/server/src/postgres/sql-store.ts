import { assertWindow, type WindowEvents, windowHit } from '../store/sliding-window.js';
import {
  assertStorableKey,
  isStorableKey,
  type Store,
  type StoreEntry,
  type WindowHit,
  type WriteOptions,
} from '../store/store.js';
import type { SqlClient } from './sql-client.js';

export interface SqlStoreOptions {
  /** Postgres schema holding the tables (default `twofold`). */
  schema?: string;
  /** The store clock, in ms since the epoch: TTLs compare against it, as in the memory store. */
  now?: () => number;
  /** How often expired rows are swept, in ms (default 60 000; 0 turns sweeping off). */
  sweepIntervalMs?: number;
  /** Where sweep failures and lost idle PostgreSQL connections are reported (default: console.error). */
  onError?: (error: unknown) => void;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

interface Row {
  value: unknown;
  version: number | string;
  expires_at: number | string | null;
}

const toNumber = (value: number | string | null): number | null =>
  value === null ? null : Number(value);

const toEntry = (row: Row): StoreEntry<unknown> => ({
  value: row.value,
  version: Number(row.version),
  expiresAt: toNumber(row.expires_at),
});

function json(key: string, value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`store value for ${key} is not JSON-serialisable`);
  return text;
}

/**
 * The {@link Store} on PostgreSQL (through `pg` or PGlite): one table of JSON values with a
 * version and an expiry; every method is one statement, so each is atomic on its own and
 * concurrent writers from many processes serialise on the row. Expiry is compared with the
 * store clock passed in as a parameter (not the database clock), so TTLs behave exactly as in
 * the memory store; a background sweep deletes expired rows in small batches. Made (and the
 * schema migrated) by `createPostgresStore` and `createPGliteStore`.
 *
 * @example
 * ```ts
 * import { createPGliteStore, type SqlStore } from '@twofold/server/postgres';
 * const store: SqlStore = await createPGliteStore({ dataDir: '.twofold/db', sweepIntervalMs: 0 });
 * await store.set('short-lived', 1, { ttlMs: 1 });
 * await new Promise((resolve) => setTimeout(resolve, 5));
 * await store.sweep(); // 1
 * await store.close();
 * ```
 */
export class SqlStore implements Store {
  readonly #client: SqlClient;
  readonly #table: string;
  readonly #now: () => number;
  readonly #sweep: ReturnType<typeof setInterval> | undefined;

  constructor(client: SqlClient, options: SqlStoreOptions = {}) {
    const schema = options.schema ?? 'twofold';
    if (!SCHEMA_NAME.test(schema))
      throw new Error(`schema must match ${SCHEMA_NAME}, got ${schema}`);
    this.#client = client;
    this.#table = `"${schema}".twofold_kv`;
    this.#now = options.now ?? Date.now;
    const interval = options.sweepIntervalMs ?? 60_000;
    if (interval > 0) {
      const onError =
        options.onError ??
        ((error: unknown) => console.error('twofold: sweeping expired rows failed', error));
      this.#sweep = setInterval(() => void this.sweep().catch(onError), interval);
      this.#sweep.unref?.();
    }
  }

  #expiry(options: WriteOptions | undefined): number | null {
    return options?.ttlMs === undefined ? null : this.#now() + options.ttlMs;
  }

  /** Deletes up to `batch` expired rows; returns how many. */
  async sweep(batch = 1000): Promise<number> {
    const { rowCount } = await this.#client.query(
      `DELETE FROM ${this.#table} WHERE key IN (SELECT key FROM ${this.#table} WHERE expires_at <= $1 LIMIT $2)`,
      [this.#now(), batch],
    );
    return rowCount;
  }

  async get<T>(key: string): Promise<StoreEntry<T> | undefined> {
    if (!isStorableKey(key)) return undefined;
    const { rows } = await this.#client.query<Row>(
      `SELECT value, version, expires_at FROM ${this.#table} WHERE key = $1 AND (expires_at IS NULL OR expires_at > $2)`,
      [key, this.#now()],
    );
    const row = rows[0];
    return row === undefined ? undefined : (toEntry(row) as StoreEntry<T>);
  }

  async getMany(keys: readonly string[]): Promise<(StoreEntry<unknown> | undefined)[]> {
    const storable = keys.filter(isStorableKey);
    if (storable.length === 0) return keys.map(() => undefined);
    const { rows } = await this.#client.query<Row & { key: string }>(
      `SELECT key, value, version, expires_at FROM ${this.#table} WHERE key = ANY($1::text[]) AND (expires_at IS NULL OR expires_at > $2)`,
      [storable, this.#now()],
    );
    const byKey = new Map(rows.map((row) => [row.key, row]));
    return keys.map((key) => {
      const row = byKey.get(key);
      return row === undefined ? undefined : toEntry(row);
    });
  }

  async set<T>(key: string, value: T, options?: WriteOptions): Promise<void> {
    assertStorableKey(key);
    await this.#client.query(
      `INSERT INTO ${this.#table} AS t (key, value, version, expires_at) VALUES ($1, $2::jsonb, 1, $3)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at,
         version = CASE WHEN t.expires_at IS NOT NULL AND t.expires_at <= $4 THEN 1 ELSE t.version + 1 END`,
      [key, json(key, value), this.#expiry(options), this.#now()],
    );
  }

  async insert<T>(key: string, value: T, options?: WriteOptions): Promise<boolean> {
    assertStorableKey(key);
    const { rowCount } = await this.#client.query(
      `INSERT INTO ${this.#table} AS t (key, value, version, expires_at) VALUES ($1, $2::jsonb, 1, $3)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, version = 1, expires_at = EXCLUDED.expires_at
         WHERE t.expires_at IS NOT NULL AND t.expires_at <= $4`,
      [key, json(key, value), this.#expiry(options), this.#now()],
    );
    return rowCount === 1;
  }

  async insertAll(
    entries: readonly { key: string; value: unknown; options?: WriteOptions }[],
  ): Promise<boolean> {
    for (const { key } of entries) assertStorableKey(key);
    const rows = entries.map(
      ({ key, value, options }) => [key, json(key, value), this.#expiry(options)] as const,
    );
    const taken = Symbol('taken');
    try {
      return await this.#client.transaction(async (tx) => {
        for (const [key, value, expiresAt] of rows) {
          const { rowCount } = await tx.query(
            `INSERT INTO ${this.#table} AS t (key, value, version, expires_at) VALUES ($1, $2::jsonb, 1, $3)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, version = 1, expires_at = EXCLUDED.expires_at
               WHERE t.expires_at IS NOT NULL AND t.expires_at <= $4`,
            [key, value, expiresAt, this.#now()],
          );
          if (rowCount !== 1) throw taken; // rolls the whole transaction back
        }
        return true;
      });
    } catch (error) {
      if (error === taken) return false;
      throw error;
    }
  }

  async compareAndSet<T>(
    key: string,
    version: number,
    value: T,
    options?: WriteOptions,
  ): Promise<boolean> {
    if (!isStorableKey(key)) return false;
    const { rowCount } = await this.#client.query(
      `UPDATE ${this.#table} SET value = $2::jsonb, version = version + 1, expires_at = $4
       WHERE key = $1 AND version = $3 AND (expires_at IS NULL OR expires_at > $5)`,
      [key, json(key, value), version, this.#expiry(options), this.#now()],
    );
    return rowCount === 1;
  }

  async compareAndDelete(key: string, version: number): Promise<boolean> {
    if (!isStorableKey(key)) return false;
    const { rowCount } = await this.#client.query(
      `DELETE FROM ${this.#table} WHERE key = $1 AND version = $2 AND (expires_at IS NULL OR expires_at > $3)`,
      [key, version, this.#now()],
    );
    return rowCount === 1;
  }

  async delete(key: string): Promise<boolean> {
    if (!isStorableKey(key)) return false;
    const { rows } = await this.#client.query<{ live: boolean }>(
      `DELETE FROM ${this.#table} WHERE key = $1 RETURNING (expires_at IS NULL OR expires_at > $2) AS live`,
      [key, this.#now()],
    );
    return rows[0]?.live === true;
  }

  async consume<T>(key: string): Promise<T | undefined> {
    if (!isStorableKey(key)) return undefined;
    const { rows } = await this.#client.query<{ value: unknown }>(
      `DELETE FROM ${this.#table} WHERE key = $1 AND (expires_at IS NULL OR expires_at > $2) RETURNING value`,
      [key, this.#now()],
    );
    return rows[0]?.value as T | undefined;
  }

  async hit(key: string, windowMs: number, limit: number): Promise<WindowHit> {
    assertStorableKey(key);
    assertWindow(windowMs, limit);
    const now = this.#now();
    // One statement: the row lock orders concurrent hits, each sees the events before it, and
    // `recorded` says what this statement decided (RETURNING shows the row as it wrote it).
    const { rows } = await this.#client.query<{ value: WindowEvents & { recorded: boolean } }>(
      `INSERT INTO ${this.#table} AS t (key, value, version, expires_at)
         VALUES ($1, jsonb_build_object('events', jsonb_build_array($2::bigint), 'recorded', true), 1, $2::bigint + $3::bigint)
       ON CONFLICT (key) DO UPDATE SET
         value = (
           SELECT jsonb_build_object(
             'events', CASE WHEN w.n < $4 THEN w.events || jsonb_build_array($2::bigint) ELSE w.events END,
             'recorded', w.n < $4)
           FROM (
             SELECT coalesce(jsonb_agg(e ORDER BY (e #>> '{}')::bigint), '[]'::jsonb) AS events, count(*) AS n
             FROM jsonb_array_elements(CASE WHEN t.expires_at IS NOT NULL AND t.expires_at <= $2 THEN '[]'::jsonb
                                            ELSE coalesce(t.value -> 'events', '[]'::jsonb) END) AS e
             WHERE (e #>> '{}')::bigint > $2::bigint - $3::bigint
           ) AS w),
         version = t.version + 1,
         expires_at = $2::bigint + $3::bigint
       RETURNING value`,
      [key, now, windowMs, limit],
    );
    const value = rows[0]?.value;
    if (value === undefined) throw new Error(`hit of ${key} returned no row`);
    // The statement kept only the events inside the window, oldest first.
    return windowHit(value.events, value.recorded, now, windowMs, limit);
  }

  async unhit(key: string, stamp: number): Promise<void> {
    if (!isStorableKey(key)) return;
    // The event was the only one: the row goes (a refused request with a new username, taken
    // back, must not leave a row behind per name).
    const { rowCount } = await this.#client.query(
      `DELETE FROM ${this.#table} WHERE key = $1 AND value -> 'events' = jsonb_build_array($2::bigint)`,
      [key, stamp],
    );
    if (rowCount === 1) return;
    // Else drops the first event at `stamp` (two hits in one millisecond are two events).
    await this.#client.query(
      `UPDATE ${this.#table} AS t SET version = t.version + 1, value = jsonb_set(t.value, '{events}', coalesce((
           SELECT jsonb_agg(x.e ORDER BY x.i) FROM jsonb_array_elements(t.value -> 'events') WITH ORDINALITY AS x(e, i)
           WHERE x.i IS DISTINCT FROM (
             SELECT min(y.i) FROM jsonb_array_elements(t.value -> 'events') WITH ORDINALITY AS y(e, i)
             WHERE (y.e #>> '{}')::bigint = $2::bigint)), '[]'::jsonb))
       WHERE key = $1 AND (expires_at IS NULL OR expires_at > $3) AND jsonb_typeof(t.value -> 'events') = 'array'`,
      [key, stamp, this.#now()],
    );
  }

  async close(): Promise<void> {
    if (this.#sweep !== undefined) clearInterval(this.#sweep);
    await this.#client.close();
  }
}

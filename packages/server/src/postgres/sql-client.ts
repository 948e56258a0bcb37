/** The little SQL the store needs, over `pg` or PGlite alike (PGlite's: `pglite-client.ts`). */
export interface SqlClient {
  query<Row = Record<string, unknown>>(
    text: string,
    params?: unknown[],
  ): Promise<{ rows: Row[]; rowCount: number }>;
  /** Runs `work` in one transaction on one connection. */
  transaction<T>(work: (client: Pick<SqlClient, 'query'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The parts of `pg.Pool` used here (so `pg` stays a runtime import of `./postgres` only). */
export interface PgPoolLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
  connect(): Promise<{
    query(text: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
    release(error?: Error | boolean): void;
  }>;
  end(): Promise<void>;
}

export function pgSqlClient(pool: PgPoolLike): SqlClient {
  const run = async <Row>(target: Pick<PgPoolLike, 'query'>, text: string, params?: unknown[]) => {
    const result = await target.query(text, params);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  };
  return {
    query: (text, params) => run(pool, text, params),
    async transaction(work) {
      const connection = await pool.connect();
      try {
        await connection.query('BEGIN');
        const result = await work({ query: (text, params) => run(connection, text, params) });
        await connection.query('COMMIT');
        connection.release();
        return result;
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => {});
        connection.release(error instanceof Error ? error : true);
        throw error;
      }
    },
    close: () => pool.end(),
  };
}

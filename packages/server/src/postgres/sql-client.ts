import { StoreUnavailableError } from '../store/store.js';

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

/** Node's codes for a connection that could not be made or was lost. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);

/**
 * Whether `error` says the database is away rather than that the statement failed: network
 * errors, `pg`'s own connection messages, and SQLSTATEs of class 08 (connection exception),
 * 57P01–57P03 (shut down, crashed, starting) and 3D000 (the database does not exist).
 */
export function isConnectionFailure(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || code.startsWith('08') || code === '3D000') return true;
    if (code === '57P01' || code === '57P02' || code === '57P03') return true;
  }
  return (
    typeof message === 'string' &&
    /Connection terminated|timeout exceeded when trying to connect|not queryable|connection error/i.test(
      message,
    )
  );
}

/** `work`, with a lost or refused connection turned into a {@link StoreUnavailableError}. */
async function reachable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isConnectionFailure(error)) {
      throw new StoreUnavailableError('PostgreSQL is unreachable', { cause: error });
    }
    throw error;
  }
}

export function pgSqlClient(pool: PgPoolLike): SqlClient {
  const run = <Row>(target: Pick<PgPoolLike, 'query'>, text: string, params?: unknown[]) =>
    reachable(async () => {
      const result = await target.query(text, params);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    });
  return {
    query: (text, params) => run(pool, text, params),
    transaction: (work) =>
      reachable(async () => {
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
      }),
    close: () => pool.end(),
  };
}

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { isStorableText } from '@twofold/contract';

/**
 * Thrown by a store that cannot reach its database (refused, dropped or timed-out connections):
 * the server answers `SERVICE_UNAVAILABLE` (503, `Retry-After`) instead of an internal error,
 * and the next request tries again. A custom store throws it for the same reason.
 *
 * @example
 * ```ts
 * import { createTwofoldServer, MemoryStore, StoreUnavailableError } from '@twofold/server';
 * const store = new MemoryStore();
 * store.insertAll = async () => {
 *   throw new StoreUnavailableError('the database is restarting');
 * };
 * const server = createTwofoldServer({ mode: 'development', store, secret: 'a long random secret of at least 32 bytes', encryptionKey: 'another long random key of 32+ bytes' });
 * const body = JSON.stringify({ username: 'ada', email: 'ada@example.com', password: 'correct horse battery' });
 * const response = await server.fetch(new Request('http://localhost/api/v1/auth/register', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }));
 * response.status; // 503
 * response.headers.get('Retry-After'); // '5'
 * ```
 */
export class StoreUnavailableError extends Error {
  constructor(message = 'the store is unreachable', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** The longest key a store holds (PostgreSQL's index takes ~2,700 bytes; ids are far shorter). */
export const MAX_KEY_LENGTH = 512;

/**
 * Whether a store can hold `key`: at most {@link MAX_KEY_LENGTH} characters, no NUL, well-formed
 * UTF-16. Keys carry client input (usernames, addresses, challenge ids): every store finds
 * nothing under any other key and refuses to write one, instead of failing in the database.
 */
export function isStorableKey(key: string): boolean {
  return key.length <= MAX_KEY_LENGTH && isStorableText(key);
}

/**
 * `value` as part of a key: as it is when short and plain (an id, an IP address), else its
 * SHA-256, so client-supplied text (a forwarded address, a username) never makes a key too long
 * or odd to store.
 */
export function keyPart(value: string): string {
  return /^[\w.:@-]{1,64}$/.test(value)
    ? value
    : `h:${bytesToHex(sha256(new TextEncoder().encode(value)))}`;
}

/** Throws unless `key` is storable (a write under it is a bug upstream, not client input). */
export function assertStorableKey(key: string): void {
  if (!isStorableKey(key)) {
    throw new TypeError(
      `store key is not storable (${key.length} characters): ${key.slice(0, 40)}…`,
    );
  }
}

/** A stored value with the version compare-and-set needs. */
export interface StoreEntry<T> {
  value: T;
  /** Starts at 1 and grows by one with every write of the key. */
  version: number;
  /** Milliseconds since the epoch (store clock) after which the entry is gone; null = never. */
  expiresAt: number | null;
}

export interface WriteOptions {
  /** Lifetime from now, in milliseconds; omitted = no expiry. */
  ttlMs?: number;
}

/** A sliding window's events after {@link Store.hit}. */
export interface WindowHit {
  /** Whether the event was recorded: fewer than `limit` events were in the window. */
  recorded: boolean;
  /** Events in the window, this one included when recorded. */
  count: number;
  /**
   * When the window next has room for an event (store clock, ms): when the oldest event that
   * keeps it full leaves it; now while there is room.
   */
  freeAt: number;
  /** The event's time (store clock, ms), to take it back with {@link Store.unhit}. */
  stamp: number;
}

/**
 * What the server needs from storage: keyed JSON values with expiry, plus the atomic
 * primitives the contract's rules rest on. Every method is one atomic operation, so an
 * implementation over SQL is one statement (or one transaction) per call, and concurrent
 * callers across processes see a consistent order. Expired entries behave as absent in every
 * method. Values are JSON-serialisable.
 */
export interface Store {
  /** The live entry, or undefined. */
  get<T>(key: string): Promise<StoreEntry<T> | undefined>;
  /**
   * The live entries of `keys`, in the same order (undefined where there is none), in one
   * round trip. Optional: without it the server reads the keys one by one (see `getMany`).
   */
  getMany?(keys: readonly string[]): Promise<(StoreEntry<unknown> | undefined)[]>;
  /** Inserts or replaces unconditionally. */
  set<T>(key: string, value: T, options?: WriteOptions): Promise<void>;
  /** Inserts only if there is no live entry; true when inserted. */
  insert<T>(key: string, value: T, options?: WriteOptions): Promise<boolean>;
  /**
   * Inserts every entry, or none: only if no key has a live entry (one transaction in SQL).
   * True when all were inserted.
   */
  insertAll(
    entries: readonly { key: string; value: unknown; options?: WriteOptions }[],
  ): Promise<boolean>;
  /** Replaces the entry only if its live version is still `version`; true when replaced. */
  compareAndSet<T>(
    key: string,
    version: number,
    value: T,
    options?: WriteOptions,
  ): Promise<boolean>;
  /** Deletes the entry only if its live version is still `version`; true when deleted. */
  compareAndDelete(key: string, version: number): Promise<boolean>;
  /** Deletes; true when a live entry was there. */
  delete(key: string): Promise<boolean>;
  /** Reads and deletes in one step: of concurrent callers, exactly one gets the value. */
  consume<T>(key: string): Promise<T | undefined>;
  /**
   * Records an event at the store's now under `key` unless `limit` events are already within the
   * last `windowMs`: a sliding window, checked and written in one atomic step, so of concurrent
   * callers exactly `limit` are recorded and no window edge lets twice the limit through. Keeps
   * at most `limit` events per key.
   */
  hit(key: string, windowMs: number, limit: number): Promise<WindowHit>;
  /** Takes back one event recorded by {@link Store.hit} at `stamp` (a success not to count). */
  unhit(key: string, stamp: number): Promise<void>;
  /** Releases connections or timers; the store is unusable afterwards. */
  close(): Promise<void>;
}

/** The live entries of `keys`, in order: one round trip where the store can, else one each. */
export function getMany(
  store: Store,
  keys: readonly string[],
): Promise<(StoreEntry<unknown> | undefined)[]> {
  if (store.getMany !== undefined) return store.getMany(keys);
  return Promise.all(keys.map((key) => store.get(key)));
}

const MAX_ATTEMPTS = 1000;

/** Options of {@link updateWithRetry}. */
export interface UpdateOptions<T> extends WriteOptions {
  /**
   * The entry as the caller read it earlier: the first round starts from it instead of reading
   * again. It saves the read only when the write lands (compare-and-set proves it current); a
   * decision to write nothing is taken again on a fresh read, since the entry may be stale.
   */
  startFrom?: { entry: StoreEntry<T> | undefined };
}

/**
 * Retries a read-modify-write against compare-and-set until it lands. `change` returns the
 * value to write (`null` deletes, `undefined` writes nothing) and the result to return. After a
 * few conflicts it waits a random few milliseconds, so many writers of one key spread out.
 */
export async function updateWithRetry<T, R>(
  store: Store,
  key: string,
  change: (
    entry: StoreEntry<T> | undefined,
  ) => Promise<{ write?: T | null; result: R }> | { write?: T | null; result: R },
  options: UpdateOptions<T> = {},
): Promise<R> {
  const { startFrom, ...writeOptions } = options;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt >= 3)
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 20)));
    const fromCaller = attempt === 0 && startFrom !== undefined;
    const entry = fromCaller ? startFrom.entry : await store.get<T>(key);
    const { write, result } = await change(entry);
    if (write === undefined) {
      if (fromCaller) continue;
      return result;
    }
    let landed: boolean;
    if (entry === undefined) {
      landed = write === null ? true : await store.insert(key, write, writeOptions);
    } else if (write === null) {
      landed = await store.compareAndDelete(key, entry.version);
    } else {
      landed = await store.compareAndSet(key, entry.version, write, writeOptions);
    }
    if (landed) return result;
  }
  throw new Error(`store update of ${key} kept conflicting`);
}

import { assertWindow, liveEvents, type WindowEvents, windowHit } from './sliding-window.js';
import {
  assertStorableKey,
  isStorableKey,
  type Store,
  type StoreEntry,
  type WindowHit,
  type WriteOptions,
} from './store.js';

interface Slot {
  json: string;
  version: number;
  expiresAt: number | null;
}

/** One entry of {@link MemoryStore.entries}: what a new store needs to continue from it. */
export interface MemoryStoreEntry {
  key: string;
  /** The value as JSON text. */
  json: string;
  version: number;
  /** Store clock, ms since the epoch; null = never. */
  expiresAt: number | null;
}

/**
 * The in-memory {@link Store}: for tests, the mock server and single-process development.
 * Values are kept as JSON text so callers never share mutable objects with the store, exactly
 * as with a database. Operations are synchronous inside, hence atomic in one JS realm.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@twofold/server';
 * const store = new MemoryStore();
 * await store.insert('k', { a: 1 }, { ttlMs: 60_000 }); // true
 * await store.consume('k'); // { a: 1 }
 * await store.consume('k'); // undefined
 * ```
 */
export class MemoryStore implements Store {
  readonly #slots = new Map<string, Slot>();
  readonly #now: () => number;
  #sweeps = 0;

  /** `entries` (from {@link MemoryStore.entries}) continues a saved store, e.g. after a page reload. */
  constructor(options: { now?: () => number; entries?: readonly MemoryStoreEntry[] } = {}) {
    this.#now = options.now ?? Date.now;
    for (const { key, json, version, expiresAt } of options.entries ?? []) {
      this.#slots.set(key, { json, version, expiresAt });
    }
  }

  /**
   * Every live entry, versions and expiry included, to save somewhere and give back to
   * `new MemoryStore({ entries })` (the browser mock's `persist` does this).
   *
   * @example
   * ```ts
   * import { MemoryStore } from '@twofold/server';
   * const store = new MemoryStore();
   * await store.set('k', { a: 1 });
   * const saved = JSON.stringify(store.entries());
   * const again = new MemoryStore({ entries: JSON.parse(saved) });
   * (await again.get('k'))?.value; // { a: 1 }
   * ```
   */
  entries(): MemoryStoreEntry[] {
    const now = this.#now();
    return [...this.#slots]
      .filter(([, slot]) => slot.expiresAt === null || slot.expiresAt > now)
      .map(([key, { json, version, expiresAt }]) => ({ key, json, version, expiresAt }));
  }

  #live(key: string): Slot | undefined {
    if (!isStorableKey(key)) return undefined;
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.expiresAt !== null && slot.expiresAt <= this.#now()) {
      this.#slots.delete(key);
      return undefined;
    }
    return slot;
  }

  #write(key: string, value: unknown, version: number, options: WriteOptions | undefined): void {
    assertStorableKey(key);
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError(`store value for ${key} is not JSON-serialisable`);
    const expiresAt = options?.ttlMs === undefined ? null : this.#now() + options.ttlMs;
    this.#slots.set(key, { json, version, expiresAt });
    // Expired entries are dropped when read; an occasional sweep keeps unread ones from piling up.
    if (++this.#sweeps % 1024 === 0) this.#sweep();
  }

  #sweep(): void {
    const now = this.#now();
    for (const [key, slot] of this.#slots) {
      if (slot.expiresAt !== null && slot.expiresAt <= now) this.#slots.delete(key);
    }
  }

  #entry<T>(key: string): StoreEntry<T> | undefined {
    const slot = this.#live(key);
    if (slot === undefined) return undefined;
    return { value: JSON.parse(slot.json) as T, version: slot.version, expiresAt: slot.expiresAt };
  }

  async get<T>(key: string): Promise<StoreEntry<T> | undefined> {
    return this.#entry<T>(key);
  }

  async getMany(keys: readonly string[]): Promise<(StoreEntry<unknown> | undefined)[]> {
    return keys.map((key) => this.#entry(key));
  }

  async set<T>(key: string, value: T, options?: WriteOptions): Promise<void> {
    this.#write(key, value, (this.#live(key)?.version ?? 0) + 1, options);
  }

  async insert<T>(key: string, value: T, options?: WriteOptions): Promise<boolean> {
    if (this.#live(key) !== undefined) return false;
    this.#write(key, value, 1, options);
    return true;
  }

  async insertAll(
    entries: readonly { key: string; value: unknown; options?: WriteOptions }[],
  ): Promise<boolean> {
    if (entries.some(({ key }) => this.#live(key) !== undefined)) return false;
    // Check every key and value first: a bad one must leave nothing written.
    for (const { key, value } of entries) {
      assertStorableKey(key);
      if (JSON.stringify(value) === undefined)
        throw new TypeError(`store value for ${key} is not JSON-serialisable`);
    }
    for (const { key, value, options } of entries) this.#write(key, value, 1, options);
    return true;
  }

  async compareAndSet<T>(
    key: string,
    version: number,
    value: T,
    options?: WriteOptions,
  ): Promise<boolean> {
    const slot = this.#live(key);
    if (slot === undefined || slot.version !== version) return false;
    this.#write(key, value, version + 1, options);
    return true;
  }

  async compareAndDelete(key: string, version: number): Promise<boolean> {
    const slot = this.#live(key);
    if (slot === undefined || slot.version !== version) return false;
    this.#slots.delete(key);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    const existed = this.#live(key) !== undefined;
    this.#slots.delete(key);
    return existed;
  }

  async consume<T>(key: string): Promise<T | undefined> {
    const slot = this.#live(key);
    if (slot === undefined) return undefined;
    this.#slots.delete(key);
    return JSON.parse(slot.json) as T;
  }

  async hit(key: string, windowMs: number, limit: number): Promise<WindowHit> {
    assertStorableKey(key);
    assertWindow(windowMs, limit);
    const now = this.#now();
    const stored = this.#entry<WindowEvents>(key)?.value.events ?? [];
    const events = liveEvents(stored, now, windowMs);
    const recorded = events.length < limit;
    if (recorded) events.push(now);
    this.#write(key, { events }, (this.#live(key)?.version ?? 0) + 1, { ttlMs: windowMs });
    return windowHit(events, recorded, now, windowMs, limit);
  }

  async unhit(key: string, stamp: number): Promise<void> {
    const slot = this.#live(key);
    if (slot === undefined) return;
    const { events } = JSON.parse(slot.json) as WindowEvents;
    const at = events.indexOf(stamp);
    if (at === -1) return;
    events.splice(at, 1);
    // An empty window is no entry: a refused request with a new username (taken back) must not
    // leave one behind per name.
    if (events.length === 0) {
      this.#slots.delete(key);
      return;
    }
    slot.json = JSON.stringify({ events });
    slot.version++;
  }

  async close(): Promise<void> {
    this.#slots.clear();
  }
}

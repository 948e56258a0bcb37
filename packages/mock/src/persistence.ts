import type { OutboxEntry } from '@twofold/contract';
import type { MemoryStoreEntry } from '@twofold/server';

/**
 * What `persist` keeps across a page reload: the server keys (so tokens and sealed secrets stay
 * valid), every store entry (users, MFA, passkeys, sessions, challenges, email tokens, attempt
 * counters), the outbox and the clock's offset from real time.
 */
export interface MockState {
  version: 1;
  secret: string;
  encryptionKey: string;
  entries: MemoryStoreEntry[];
  outbox: OutboxEntry[];
  clockOffset: number;
}

/** Where a mock saves its state (internal: the browser mock's `persist` option builds one). */
export interface Persistence {
  load(): MockState | undefined;
  save(state: MockState): void;
  clear(): void;
}

/** A {@link Persistence} on a Web Storage under `key`; a broken or foreign value starts afresh. */
export function webStoragePersistence(storage: Storage, key: string): Persistence {
  let warned = false;
  return {
    load() {
      try {
        const state = JSON.parse(storage.getItem(key) ?? 'null') as MockState | null;
        return state?.version === 1 ? state : undefined;
      } catch {
        return undefined;
      }
    },
    save(state) {
      try {
        storage.setItem(key, JSON.stringify(state));
      } catch (error) {
        // Full or refused storage (private mode, a quota): the mock keeps working in memory.
        if (!warned) console.warn(`@twofold/mock: could not persist to ${key}`, error);
        warned = true;
      }
    },
    clear: () => storage.removeItem(key),
  };
}

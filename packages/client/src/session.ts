/** The user a session belongs to. */
export interface User {
  id: string;
  username: string;
  roles: string[];
  permissions: string[];
}

/** Tokens of a logged-in user, as kept in a {@link TokenStore}. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** When the access token expires, in milliseconds since the epoch (like `Date.now()`). */
  expiresAt: number;
  user: User;
}

/**
 * Where the SDK keeps the session. Synchronous or asynchronous; the default keeps it in memory.
 */
export interface TokenStore {
  get(): Session | null | Promise<Session | null>;
  set(session: Session | null): void | Promise<void>;
}

/**
 * A {@link TokenStore} in memory: gone when the page or process ends.
 *
 * @example
 * ```ts
 * import { memoryTokenStore } from '@twofold/client';
 * const store = memoryTokenStore();
 * store.get(); // null
 * ```
 */
export function memoryTokenStore(): TokenStore {
  let session: Session | null = null;
  return {
    get: () => session,
    set: (next) => {
      session = next;
    },
  };
}

/** The subset of the Web Storage API the adapter uses (`localStorage`, `sessionStorage`). */
export interface WebStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * A {@link TokenStore} on `localStorage` or `sessionStorage` (any Web Storage). A stored value
 * that is not a session (edited, or from another app) reads as no session.
 *
 * @example
 * ```ts
 * import { createClient, webStorageTokenStore } from '@twofold/client';
 * const tokenStore = webStorageTokenStore(sessionStorage);
 * const client = createClient({ baseUrl: 'https://auth.example.com', tokenStore });
 * await client.auth.login({ username: 'bob', password: 'correct horse battery staple' });
 * JSON.parse(sessionStorage.getItem('twofold.session') ?? 'null')?.user.username; // 'bob'
 * ```
 */
export function webStorageTokenStore(storage: WebStorage, key = 'twofold.session'): TokenStore {
  return {
    get() {
      const text = storage.getItem(key);
      if (text === null) return null;
      try {
        const value = JSON.parse(text) as Partial<Session>;
        const valid =
          typeof value.accessToken === 'string' &&
          typeof value.refreshToken === 'string' &&
          typeof value.expiresAt === 'number' &&
          typeof value.user?.id === 'string';
        return valid ? (value as Session) : null;
      } catch {
        return null;
      }
    },
    set(session) {
      if (session === null) storage.removeItem(key);
      else storage.setItem(key, JSON.stringify(session));
    },
  };
}

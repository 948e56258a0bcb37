import { LIFETIMES } from '@twofold/contract';
import { keyedHash } from '../crypto/keyed-hash.js';
import { randomToken } from '../crypto/random.js';
import type { Store } from '../store/store.js';
import { normalizeEmail } from './users.js';

interface TokenRecord {
  userId: string;
  email: string;
}

const tokenKey = (hash: string) => `email-token:${hash}`;
const currentKey = (userId: string) => `email-token-current:${userId}`;

/**
 * Email verification tokens (spec §4): 32 random bytes, stored only as keyed hashes, bound to
 * the address they were sent to, single use, 24 hours; a new token invalidates older ones.
 */
export class EmailTokens {
  readonly #store: Store;
  readonly #pepper: Uint8Array;

  constructor(store: Store, pepper: Uint8Array) {
    this.#store = store;
    this.#pepper = pepper;
  }

  #hash(token: string): string {
    return keyedHash(this.#pepper, 'email-token', token);
  }

  async issue(userId: string, email: string): Promise<string> {
    const token = randomToken();
    const hash = this.#hash(token);
    const previous = await this.#store.get<string>(currentKey(userId));
    if (previous !== undefined) await this.#store.delete(tokenKey(previous.value));
    const ttlMs = LIFETIMES.emailToken;
    await this.#store.set(
      tokenKey(hash),
      { userId, email: normalizeEmail(email) } satisfies TokenRecord,
      { ttlMs },
    );
    await this.#store.set(currentKey(userId), hash, { ttlMs });
    return token;
  }

  /** Uses the token up: of concurrent callers exactly one gets its user and address. */
  async redeem(token: string): Promise<TokenRecord | undefined> {
    const hash = this.#hash(token);
    const record = await this.#store.consume<TokenRecord>(tokenKey(hash));
    if (record === undefined) return undefined;
    const current = await this.#store.get<string>(currentKey(record.userId));
    if (current?.value !== hash) return undefined;
    await this.#store.compareAndDelete(currentKey(record.userId), current.version);
    return record;
  }

  /** Puts a redeemed token back when the verification it was for could not be written. */
  async restore(token: string, record: TokenRecord): Promise<void> {
    const hash = this.#hash(token);
    await this.#store.insert(tokenKey(hash), record, { ttlMs: LIFETIMES.emailToken });
    await this.#store.insert(currentKey(record.userId), hash, { ttlMs: LIFETIMES.emailToken });
  }

  /** Burns comparable work for an address with no account (resend answers alike, rule 2). */
  decoy(): void {
    this.#hash(randomToken());
  }
}

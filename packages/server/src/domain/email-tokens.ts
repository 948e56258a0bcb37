import { LIFETIMES } from '@twofold/contract';
import { keyedHash } from '../crypto/keyed-hash.js';
import { randomToken } from '../crypto/random.js';
import type { Store } from '../store/store.js';
import type { Users } from './users.js';

const indexKey = (hash: string) => `email-token:${hash}`;

/**
 * Email verification tokens (spec §4): 32 random bytes, stored only as a keyed hash on the user
 * record (so a new token replaces the old one and redeeming is one compare-and-set), bound to
 * the address they were sent to, single use, 24 hours. A short-lived index maps a token's hash
 * to its user, because the token arrives without one.
 */
export class EmailTokens {
  readonly #store: Store;
  readonly #users: Users;
  readonly #pepper: Uint8Array;
  readonly #now: () => number;

  constructor(store: Store, users: Users, pepper: Uint8Array, now: () => number) {
    this.#store = store;
    this.#users = users;
    this.#pepper = pepper;
    this.#now = now;
  }

  #hash(token: string): string {
    return keyedHash(this.#pepper, 'email-token', token);
  }

  /** A new token for the user's address; undefined when the user no longer exists. */
  async issue(userId: string): Promise<string | undefined> {
    const token = randomToken();
    const hash = this.#hash(token);
    const ttlMs = LIFETIMES.emailToken;
    await this.#store.set(indexKey(hash), userId, { ttlMs });
    const user = await this.#users.setEmailToken(userId, hash, this.#now() + ttlMs);
    return user === undefined ? undefined : token;
  }

  /** Verifies the address the token was sent to; the user id, or undefined when it does not. */
  async redeem(token: string): Promise<string | undefined> {
    const hash = this.#hash(token);
    const userId = (await this.#store.get<string>(indexKey(hash)))?.value;
    if (userId === undefined || !(await this.#users.verifyEmailWithToken(userId, hash)))
      return undefined;
    await this.#store.delete(indexKey(hash));
    return userId;
  }

  /** Burns comparable work for an address with no account (resend answers alike, rule 2). */
  decoy(): void {
    this.#hash(randomToken());
  }
}

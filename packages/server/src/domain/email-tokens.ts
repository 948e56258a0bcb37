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

  /** A new token and its keyed hash; it verifies nothing until {@link activate}d. */
  prepare(): { token: string; hash: string } {
    const token = randomToken();
    return { token, hash: this.#hash(token) };
  }

  /**
   * Makes the token of `hash` the user's live one, replacing any older one: called once its
   * email was accepted for delivery, so a failed send leaves the older token working (spec §4
   * rule 3). False when the user no longer exists.
   */
  async activate(userId: string, hash: string): Promise<boolean> {
    const ttlMs = LIFETIMES.emailToken;
    await this.#store.set(indexKey(hash), userId, { ttlMs });
    return (await this.#users.setEmailToken(userId, hash, this.#now() + ttlMs)) !== undefined;
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
}

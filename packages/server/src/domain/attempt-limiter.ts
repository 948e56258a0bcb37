import { MESSAGES } from '@twofold/contract';
import { rateLimited } from '../http/api-error.js';
import type { Store } from '../store/store.js';

export interface AttemptLimits {
  windowMs: number;
  perUser: number;
  perClient: number;
}

/**
 * Spec §3 rule 3: every submitted code is counted *before* it is checked, per user and per
 * client address, so concurrent guesses cannot get more than the limit checked. Past a limit
 * every attempt is refused with `RATE_LIMITED` until the window ends; a success clears the
 * user's count.
 */
export class AttemptLimiter {
  readonly #store: Store;
  readonly #limits: AttemptLimits;
  readonly #now: () => number;

  constructor(store: Store, limits: AttemptLimits, now: () => number) {
    this.#store = store;
    this.#limits = limits;
    this.#now = now;
  }

  /** Counts one attempt; throws `RATE_LIMITED` when the user or the address is over its limit. */
  async count(userId: string, client: string): Promise<void> {
    const { windowMs, perUser, perClient } = this.#limits;
    const [user, address] = await Promise.all([
      this.#store.increment(`attempts:user:${userId}`, windowMs),
      this.#store.increment(`attempts:client:${client}`, windowMs),
    ]);
    const blockedUntil = Math.max(
      user.count > perUser ? user.resetAt : 0,
      address.count > perClient ? address.resetAt : 0,
    );
    if (blockedUntil > 0) throw rateLimited(MESSAGES.rateLimited, blockedUntil - this.#now());
  }

  /** A successful attempt clears the user's count (not the address's). */
  async succeeded(userId: string): Promise<void> {
    await this.#store.delete(`attempts:user:${userId}`);
  }
}

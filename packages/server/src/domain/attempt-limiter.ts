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

  /**
   * Counts one attempt; throws `RATE_LIMITED` when the user or the address is over its limit.
   * An unknown address (no peer from the adapter) is limited per user only.
   */
  async count(userId: string, client: string | undefined): Promise<void> {
    const { windowMs, perUser, perClient } = this.#limits;
    const [user, address] = await Promise.all([
      this.#store.increment(`attempts:user:${userId}`, windowMs),
      client === undefined
        ? undefined
        : this.#store.increment(`attempts:client:${client}`, windowMs),
    ]);
    const blockedUntil = Math.max(
      user.count > perUser ? user.resetAt : 0,
      address !== undefined && address.count > perClient ? address.resetAt : 0,
    );
    if (blockedUntil > 0) throw rateLimited(MESSAGES.rateLimited, blockedUntil - this.#now());
  }

  /**
   * A successful attempt clears the user's count and takes itself back from the address's:
   * the address limit is on *failed* attempts (an office behind one NAT logs in all day).
   */
  async succeeded(userId: string, client: string | undefined): Promise<void> {
    await Promise.all([
      this.#store.delete(`attempts:user:${userId}`),
      client === undefined
        ? undefined
        : this.#store.increment(`attempts:client:${client}`, this.#limits.windowMs, -1),
    ]);
  }
}

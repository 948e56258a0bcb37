import type { Store } from '../store/store.js';
import { LimitExceeded } from './limit-exceeded.js';

export interface AttemptLimits {
  windowMs: number;
  perUser: number;
  perClient: number;
}

/** One counted attempt at a code; say when it succeeded, and the counts are cleared. */
export interface Attempt {
  succeeded(): Promise<void>;
  /**
   * When this attempt used up the user's or the address's last allowed failure: how long until
   * the window ends (ms), so a wrong code can answer `RATE_LIMITED` at once (spec §6 rule 2);
   * undefined while attempts remain.
   */
  readonly limitReachedMs: number | undefined;
}

/**
 * Spec §3 rule 3: every submitted code is counted *before* it is checked, per user and per
 * client address, so concurrent guesses cannot get more than the limit checked. Past a limit
 * every attempt is refused until the window ends; a success clears the user's count.
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
   * Counts one attempt of `userId` from `client`; throws {@link LimitExceeded} when the user or
   * the address is over its limit. An unknown address (no peer from the adapter) is limited
   * per user only.
   */
  async begin(userId: string, client: string | undefined): Promise<Attempt> {
    const { windowMs, perUser, perClient } = this.#limits;
    const userKey = `attempts:user:${userId}`;
    const clientKey = client === undefined ? undefined : `attempts:client:${client}`;
    const [user, address] = await Promise.all([
      this.#store.increment(userKey, windowMs),
      clientKey === undefined ? undefined : this.#store.increment(clientKey, windowMs),
    ]);
    const blockedUntil = Math.max(
      user.count > perUser ? user.resetAt : 0,
      address !== undefined && address.count > perClient ? address.resetAt : 0,
    );
    if (blockedUntil > 0) {
      // Refused before any check, it is no failed attempt from this address: without taking it
      // back, one user's burst of 50 refused codes would lock every user behind the address, and
      // a burst racing past the address's own limit would leave it over-counted. The address
      // stays blocked all the same: its count is back at the limit.
      if (clientKey !== undefined) await this.#store.increment(clientKey, windowMs, -1);
      throw new LimitExceeded(blockedUntil - this.#now());
    }
    const reachedAt = Math.max(
      user.count >= perUser ? user.resetAt : 0,
      address !== undefined && address.count >= perClient ? address.resetAt : 0,
    );
    return {
      limitReachedMs: reachedAt > 0 ? reachedAt - this.#now() : undefined,
      // A success clears the user's count and takes itself back from the address's: the
      // address limit is on *failed* attempts (an office behind one NAT logs in all day).
      succeeded: async () => {
        await Promise.all([
          this.#store.delete(userKey),
          clientKey === undefined ? undefined : this.#store.increment(clientKey, windowMs, -1),
        ]);
      },
    };
  }
}

import type { Store } from '../store/store.js';
import { hitEach } from './limit-windows.js';

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
 * client address, in sliding windows (no window edge lets twice the limit through), so
 * concurrent guesses cannot get more than the limit checked. Past a limit every attempt is
 * refused until the window has room; a success clears the user's count.
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
    const windows = [
      { key: userKey, windowMs, limit: perUser },
      ...(client === undefined
        ? []
        : [{ key: `attempts:client:${client}`, windowMs, limit: perClient }]),
    ];
    // Refused before any check, it is no failed attempt: without taking it back, one user's
    // burst of 50 refused codes would lock every user behind the address (hitEach does that).
    const { hits, takeBack } = await hitEach(this.#store, windows, this.#now);
    const fullAfterThis = hits.filter((hit, index) => hit.count >= (windows[index]?.limit ?? 0));
    return {
      limitReachedMs:
        fullAfterThis.length > 0
          ? Math.max(...fullAfterThis.map((hit) => hit.freeAt)) - this.#now()
          : undefined,
      // A success clears the user's count and takes itself back from the address's: the
      // address limit is on *failed* attempts (an office behind one NAT logs in all day).
      succeeded: async () => {
        await Promise.all([this.#store.delete(userKey), takeBack()]);
      },
    };
  }
}

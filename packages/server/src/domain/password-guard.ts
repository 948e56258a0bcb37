import { keyPart, type Store } from '../store/store.js';
import { LimitExceeded } from './limit-exceeded.js';

export interface PasswordGuardLimits {
  windowMs: number;
  /** Wrong passwords for one account from one address: where a guesser is stopped. */
  perAccountAndClient: number;
  /** Wrong passwords for one account from everywhere: a ceiling for guessers on many addresses. */
  perAccount: number;
  /** Wrong passwords from one address over every account: password spraying. */
  perClient: number;
}

/** One counted password check; say when the password matched, and it is taken back. */
export interface PasswordCheck {
  matched(): Promise<void>;
}

/**
 * Spec §6 rule 4: every password check — login, and the routes a stolen access token could
 * use to guess (disable, regenerate, setup, passkey changes) — is counted before the hash is
 * computed, per account and address, per account and per address; past a limit the answer is
 * `RATE_LIMITED` with `Retry-After` and no hash runs. An unknown username counts as an account
 * of its own, so the answers do not tell it apart. A guesser on one address cannot lock the owner
 * out on another: the per-account ceiling is ten times higher. A match takes its count back.
 */
export class PasswordGuard {
  readonly #store: Store;
  readonly #limits: PasswordGuardLimits;
  readonly #now: () => number;

  constructor(store: Store, limits: PasswordGuardLimits, now: () => number) {
    this.#store = store;
    this.#limits = limits;
    this.#now = now;
  }

  /**
   * Counts a check of `account` (a user id, or `name:` and the submitted username) from
   * `client`; throws {@link LimitExceeded} when any limit is passed.
   */
  async begin(account: string, client: string | undefined): Promise<PasswordCheck> {
    const { windowMs, perAccountAndClient, perAccount, perClient } = this.#limits;
    const who = keyPart(account);
    const where = client === undefined ? undefined : keyPart(client);
    const counters = [
      { key: `pw:account:${who}`, limit: perAccount },
      ...(where === undefined
        ? []
        : [
            { key: `pw:account-client:${who}|${where}`, limit: perAccountAndClient },
            { key: `pw:client:${where}`, limit: perClient },
          ]),
    ];
    const counts = await Promise.all(
      counters.map(({ key }) => this.#store.increment(key, windowMs)),
    );
    const blockedUntil = Math.max(
      ...counts.map((count, index) =>
        count.count > (counters[index]?.limit ?? 0) ? count.resetAt : 0,
      ),
    );
    if (blockedUntil > 0) {
      // Refused before any hash: not a guess, so it does not count (the limit still holds).
      await Promise.all(counters.map(({ key }) => this.#store.increment(key, windowMs, -1)));
      throw new LimitExceeded(blockedUntil - this.#now());
    }
    return {
      matched: async () => {
        await Promise.all(counters.map(({ key }) => this.#store.increment(key, windowMs, -1)));
      },
    };
  }
}

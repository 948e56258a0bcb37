import { keyPart, type Store } from '../store/store.js';
import { hitEach } from './limit-windows.js';

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
 * computed, per account and address, per account and per address, in sliding windows; past a limit the answer is
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
    const windows = [
      { key: `pw:account:${who}`, windowMs, limit: perAccount },
      ...(where === undefined
        ? []
        : [
            { key: `pw:account-client:${who}|${where}`, windowMs, limit: perAccountAndClient },
            { key: `pw:client:${where}`, windowMs, limit: perClient },
          ]),
    ];
    // Refused before any hash, it is not a guess and does not count (hitEach takes it back).
    const { takeBack } = await hitEach(this.#store, windows, this.#now);
    return { matched: takeBack };
  }
}

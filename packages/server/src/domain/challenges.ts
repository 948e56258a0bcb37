import { LIFETIMES, LIMITS } from '@twofold/contract';
import { randomId } from '../crypto/random.js';
import type { Store } from '../store/store.js';
import type { AssertionChallenge } from './passkeys.js';

/** A pending second-factor login (spec §2.1), stored so any server instance can complete it. */
export interface Challenge {
  userId: string;
  wrongCodes: number;
  expiresAt: number;
  /** When the user has passkeys: what an assertion completing this challenge must be made for. */
  webauthn?: AssertionChallenge;
}

const challengeKey = (id: string) => `challenge:${id}`;

/** Login challenges: bound to a user, single use, 5 minutes, burnt after 5 wrong codes. */
export class Challenges {
  readonly #store: Store;
  readonly #now: () => number;

  constructor(store: Store, now: () => number) {
    this.#store = store;
    this.#now = now;
  }

  async create(
    userId: string,
    webauthn?: AssertionChallenge,
  ): Promise<{ id: string; expiresAt: number }> {
    const id = randomId('mfa');
    const expiresAt = this.#now() + LIFETIMES.loginChallenge;
    const challenge: Challenge = { userId, wrongCodes: 0, expiresAt };
    if (webauthn !== undefined) challenge.webauthn = webauthn;
    await this.#store.set(challengeKey(id), challenge, { ttlMs: LIFETIMES.loginChallenge });
    return { id, expiresAt };
  }

  /** The live challenge, without using it up. */
  async peek(id: string): Promise<Challenge | undefined> {
    return (await this.#store.get<Challenge>(challengeKey(id)))?.value;
  }

  /** Takes the challenge: of concurrent callers exactly one gets it. */
  async take(id: string): Promise<Challenge | undefined> {
    return this.#store.consume<Challenge>(challengeKey(id));
  }

  /** Puts a taken challenge back after a wrong code, unless that was its last allowed one. */
  async returnAfterWrongCode(id: string, challenge: Challenge): Promise<void> {
    const wrongCodes = challenge.wrongCodes + 1;
    const ttlMs = challenge.expiresAt - this.#now();
    if (wrongCodes >= LIMITS.challengeWrongCodes || ttlMs <= 0) return;
    await this.#store.insert(challengeKey(id), { ...challenge, wrongCodes }, { ttlMs });
  }
}

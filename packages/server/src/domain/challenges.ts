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

/**
 * How long a challenge stays readable after it expired or was burnt, so step 2 can say
 * `expired` or `exhausted` (spec §6 rule 2) instead of treating it as unknown. The record's
 * own `expiresAt` decides whether it can still be completed; this only delays its removal.
 */
export const CHALLENGE_RETENTION_MS = 60 * 60_000;

/** Why a challenge cannot be completed, or `live`. */
export type ChallengeState = 'live' | 'expired' | 'exhausted';

/**
 * Login challenges: bound to a user, single use, 5 minutes, burnt after 5 wrong codes; kept
 * readable for {@link CHALLENGE_RETENTION_MS} past that so a refusal can say why.
 */
export class Challenges {
  readonly #store: Store;
  readonly #now: () => number;

  constructor(store: Store, now: () => number) {
    this.#store = store;
    this.#now = now;
  }

  /** A challenge for `userId`, made once step 1 has verified their password. */
  async create(
    userId: string,
    webauthn?: AssertionChallenge,
  ): Promise<{ id: string; expiresAt: number }> {
    const id = randomId('mfa');
    const expiresAt = this.#now() + LIFETIMES.loginChallenge;
    const challenge: Challenge = { userId, wrongCodes: 0, expiresAt };
    if (webauthn !== undefined) challenge.webauthn = webauthn;
    await this.#store.set(challengeKey(id), challenge, {
      ttlMs: LIFETIMES.loginChallenge + CHALLENGE_RETENTION_MS,
    });
    return { id, expiresAt };
  }

  /** The challenge (live, expired or burnt, while retained), without using it up. */
  async peek(id: string): Promise<Challenge | undefined> {
    return (await this.#store.get<Challenge>(challengeKey(id)))?.value;
  }

  /** Whether `challenge` can still be completed; burnt wins over expired. */
  stateOf(challenge: Challenge): ChallengeState {
    if (challenge.wrongCodes >= LIMITS.challengeWrongCodes) return 'exhausted';
    return challenge.expiresAt <= this.#now() ? 'expired' : 'live';
  }

  /** Wrong codes `challenge` still takes before it is burnt. */
  attemptsRemaining(challenge: Challenge): number {
    return Math.max(0, LIMITS.challengeWrongCodes - challenge.wrongCodes);
  }

  /** Takes the challenge: of concurrent callers exactly one gets it. */
  async take(id: string): Promise<Challenge | undefined> {
    return this.#store.consume<Challenge>(challengeKey(id));
  }

  /**
   * Puts a taken challenge back, counting a wrong code when `wrongCode`; after its last allowed
   * wrong code it goes back burnt (a tombstone that can only say `exhausted`). Returns what was
   * put back.
   */
  async putBack(id: string, challenge: Challenge, wrongCode: boolean): Promise<Challenge> {
    const wrongCodes = challenge.wrongCodes + (wrongCode ? 1 : 0);
    const back: Challenge = { ...challenge, wrongCodes };
    // A burnt challenge keeps nothing an assertion could be checked against.
    if (this.stateOf(back) === 'exhausted') delete back.webauthn;
    const ttlMs = challenge.expiresAt + CHALLENGE_RETENTION_MS - this.#now();
    if (ttlMs > 0) await this.#store.insert(challengeKey(id), back, { ttlMs });
    return back;
  }
}

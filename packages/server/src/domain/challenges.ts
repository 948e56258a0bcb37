import { LIFETIMES, LIMITS } from '@twofold/contract';
import { timingSafeEqual } from '@twofold/otp';
import { keyedHash } from '../crypto/keyed-hash.js';
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
  /**
   * A keyed hash (server pepper) of the password step 1 verified: step 2 checks it was sent
   * again in microseconds instead of a second scrypt run. Absent in challenges stored before.
   */
  password?: string;
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
  readonly #pepper: Uint8Array;
  readonly #now: () => number;

  constructor(store: Store, pepper: Uint8Array, now: () => number) {
    this.#store = store;
    this.#pepper = pepper;
    this.#now = now;
  }

  #passwordHash(userId: string, password: string): string {
    return keyedHash(this.#pepper, 'login-challenge-password', `${userId}\u0000${password}`);
  }

  /** A challenge for `userId`, whose `password` step 1 has just verified. */
  async create(
    userId: string,
    password: string,
    webauthn?: AssertionChallenge,
  ): Promise<{ id: string; expiresAt: number }> {
    const id = randomId('mfa');
    const expiresAt = this.#now() + LIFETIMES.loginChallenge;
    const challenge: Challenge = {
      userId,
      wrongCodes: 0,
      expiresAt,
      password: this.#passwordHash(userId, password),
    };
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

  /**
   * Whether `password` is the one step 1 verified for `challenge`: true or false in
   * microseconds, undefined when the challenge does not know (stored before it kept one).
   */
  passwordMatches(challenge: Challenge, password: string): boolean | undefined {
    if (challenge.password === undefined) return undefined;
    return timingSafeEqual(challenge.password, this.#passwordHash(challenge.userId, password));
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

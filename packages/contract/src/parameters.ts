/**
 * Fixed parameters of the contract (spec §2–§4): what every implementation must use.
 *
 * @example
 * ```ts
 * import { TOTP } from '@twofold/contract';
 * TOTP; // { algorithm: 'SHA1', digits: 6, period: 30, window: 1, secretBytes: 20 }
 * ```
 */
export const TOTP = {
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  window: 1,
  secretBytes: 20,
} as const;

/**
 * Backup codes: 10 codes of 8 characters from this alphabet (no 0/O/1/I).
 *
 * @example
 * ```ts
 * import { BACKUP_CODES } from '@twofold/contract';
 * BACKUP_CODES.count; // 10
 * BACKUP_CODES.alphabet.includes('O'); // false
 * ```
 */
export const BACKUP_CODES = {
  count: 10,
  length: 8,
  alphabet: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789',
} as const;

/**
 * Lifetimes in milliseconds.
 *
 * @example
 * ```ts
 * import { LIFETIMES } from '@twofold/contract';
 * LIFETIMES.loginChallenge / 60_000; // 5
 * ```
 */
export const LIFETIMES = {
  pendingSetup: 10 * 60_000,
  loginChallenge: 5 * 60_000,
  emailToken: 24 * 60 * 60_000,
  /** A passkey registration's challenge (the login challenge carries its own, spec §5). */
  webauthnRegistration: 5 * 60_000,
} as const;

/**
 * Twofold attempt and resend limits (spec §3 rule 3, §4 rule 4), the password-guess limits
 * (spec §6 rule 4: counted before the hash, per account and address, per account from anywhere,
 * per address over every account), and the request body limit.
 *
 * @example
 * ```ts
 * import { LIMITS } from '@twofold/contract';
 * LIMITS.attemptsPerUser; // 5
 * LIMITS.bodyBytes; // 16384
 * ```
 */
export const LIMITS = {
  attemptWindowMs: 15 * 60_000,
  attemptsPerUser: 5,
  attemptsPerClient: 50,
  challengeWrongCodes: 5,
  passwordGuessesPerAccountAndClient: 10,
  passwordGuessesPerAccount: 100,
  passwordGuessesPerClient: 50,
  resendPerMinute: 1,
  resendPerDay: 5,
  resendPerClientPerHour: 20,
  sendPerMinute: 3,
  sendPerDay: 10,
  bodyBytes: 16 * 1024,
} as const;

/**
 * Every route lives under this prefix.
 *
 * @example
 * ```ts
 * import { API_PREFIX, ROUTES } from '@twofold/contract';
 * `${API_PREFIX}${ROUTES['mfa.status'].path}`; // '/api/v1/mfa/status'
 * ```
 */
export const API_PREFIX = '/api/v1';

/** Fixed parameters of the contract (spec §2–§4): what every implementation must use. */
export const TOTP = {
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  window: 1,
  secretBytes: 20,
} as const;

/** Backup codes: 10 codes of 8 characters from this alphabet (no 0/O/1/I). */
export const BACKUP_CODES = {
  count: 10,
  length: 8,
  alphabet: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789',
} as const;

/** Lifetimes in milliseconds. */
export const LIFETIMES = {
  pendingSetup: 10 * 60_000,
  loginChallenge: 5 * 60_000,
  emailToken: 24 * 60 * 60_000,
} as const;

/** Twofold attempt and resend limits (spec §3 rule 3, §4 rule 4). */
export const LIMITS = {
  attemptWindowMs: 15 * 60_000,
  attemptsPerUser: 5,
  attemptsPerClient: 50,
  challengeWrongCodes: 5,
  resendPerMinute: 1,
  resendPerDay: 5,
  bodyBytes: 16 * 1024,
} as const;

/** Every route lives under this prefix. */
export const API_PREFIX = '/api/v1';

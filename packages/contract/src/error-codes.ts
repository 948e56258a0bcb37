/**
 * Every error code of the contract with the HTTP status Twofold answers it with (spec §1).
 * auth-framework servers answer many of these with 500 or 200: classify by code, not status.
 *
 * @example
 * ```ts
 * import { ERROR_STATUS } from '@twofold/contract';
 * ERROR_STATUS.MFA_INVALID_CODE; // 400
 * ERROR_STATUS.MFA_ALREADY_ENABLED; // 409
 * ```
 */
export const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  MFA_INVALID_CODE: 400,
  UNAUTHORIZED: 401,
  AUTH_REQUIRED: 401,
  INVALID_TOKEN: 401,
  INVALID_CREDENTIALS: 401,
  MFA_REQUIRED: 401,
  /** Sent by auth-framework for bad credentials or tokens; Twofold does not send it. */
  AUTHENTICATION_FAILED: 401,
  /** Sent by auth-framework's `/auth/validate`; Twofold sends `INVALID_TOKEN`. */
  AUTH_ERROR: 401,
  MFA_UNAUTHORIZED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  MFA_NOT_PENDING: 409,
  MFA_NOT_ENABLED: 409,
  MFA_ALREADY_ENABLED: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** Sent by auth-framework (with 500) after failed logins; Twofold limits attempts with `RATE_LIMITED`. */
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  /** Sent by auth-framework's rate-limiting middleware; Twofold sends `RATE_LIMITED`. */
  RATE_LIMIT_EXCEEDED: 429,
  MFA_ERROR: 500,
  INTERNAL_ERROR: 500,
  SERVER_ERROR: 500,
  /** Twofold: the mailer could not hand the verification email over (SMTP failure). */
  EMAIL_DELIVERY_FAILED: 502,
  /** Twofold (§6 rule 6): the store is unreachable; try again after `Retry-After`. */
  SERVICE_UNAVAILABLE: 503,
  /** Twofold (§5): a passkey registration's challenge is unknown, expired, used or another user's. */
  WEBAUTHN_CHALLENGE_INVALID: 400,
  /** Twofold (§5): a WebAuthn response did not verify (origin, rpId, signature, user verification, counter). */
  WEBAUTHN_VERIFICATION_FAILED: 400,
  /** Twofold (§5): the server's passkey policy refused this authenticator. */
  WEBAUTHN_NOT_ALLOWED: 403,
  /** Twofold (§5): this credential is registered already (to this or another account). */
  WEBAUTHN_CREDENTIAL_EXISTS: 409,
  /** Twofold (§5): the account holds the most passkeys it may (20); remove one first. */
  WEBAUTHN_LIMIT_REACHED: 409,
  /** Twofold (§5): the server has no WebAuthn relying party configured. */
  WEBAUTHN_NOT_CONFIGURED: 501,
} as const satisfies Record<string, number>;

/** A code the contract defines. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * Every code of the catalogue, in catalogue order.
 *
 * @example
 * ```ts
 * import { ERROR_CODES } from '@twofold/contract';
 * ERROR_CODES.includes('RATE_LIMITED'); // true
 * ERROR_CODES[0]; // 'VALIDATION_ERROR'
 * ```
 */
export const ERROR_CODES: readonly ErrorCode[] = Object.keys(ERROR_STATUS) as ErrorCode[];

/**
 * True when `value` is a code of the catalogue.
 *
 * @example
 * ```ts
 * import { isErrorCode } from '@twofold/contract';
 * isErrorCode('MFA_INVALID_CODE'); // true
 * isErrorCode('TEAPOT'); // false
 * ```
 */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}

/**
 * The HTTP status Twofold sends with `code`.
 *
 * @example
 * ```ts
 * import { statusOf } from '@twofold/contract';
 * statusOf('RATE_LIMITED'); // 429
 * ```
 */
export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

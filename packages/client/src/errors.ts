import { type ChallengeRefusedDetails, type ErrorCode, isErrorCode } from '@twofold/contract';

const TRANSPORT_CODES = ['NETWORK_ERROR', 'TIMEOUT', 'ABORTED', 'INVALID_RESPONSE'] as const;
/** Codes the SDK adds for failures that never produced an envelope. */
export type TransportErrorCode = (typeof TRANSPORT_CODES)[number];

/**
 * The SDK refused to send a request it knows the server would refuse:
 * - `CHALLENGE_EXPIRED`: `complete()` after the login challenge's `expiresAt` (log in again)
 */
export type LocalErrorCode = 'CHALLENGE_EXPIRED';

/**
 * Codes of `@twofold/client/webauthn` for a passkey ceremony the browser (or the authenticator
 * given in its place) refused; no request reached the server for it.
 *
 * - `PASSKEY_CANCELLED`: the user dismissed the prompt, or chose no passkey (`NotAllowedError`, `AbortError`)
 * - `PASSKEY_TIMEOUT`: the prompt was left open until the options' `timeout` elapsed (`NotAllowedError` then)
 * - `PASSKEY_UNSUPPORTED`: no WebAuthn here, or no authenticator that can do what the server asks (`NotSupportedError`, `ConstraintError`)
 * - `PASSKEY_ALREADY_REGISTERED`: this authenticator holds a passkey of this account already (`InvalidStateError`)
 * - `PASSKEY_SECURITY_ERROR`: the page's origin does not match the server's rpId, or is not secure (`SecurityError`)
 * - `PASSKEY_NOT_OFFERED`: the login challenge offers no passkey (no `webauthnOptions`)
 * - `PASSKEY_FAILED`: any other failure of the authenticator
 */
export type PasskeyErrorCode = (typeof PASSKEY_CODES)[number];
const PASSKEY_CODES = [
  'PASSKEY_CANCELLED',
  'PASSKEY_TIMEOUT',
  'PASSKEY_UNSUPPORTED',
  'PASSKEY_ALREADY_REGISTERED',
  'PASSKEY_SECURITY_ERROR',
  'PASSKEY_NOT_OFFERED',
  'PASSKEY_FAILED',
] as const;

/**
 * The closed union of codes this SDK knows: the contract's catalogue (what servers send) and
 * the SDK's own transport, local and passkey codes. A `switch` over it can be exhaustive once
 * {@link isKnownErrorCode} has narrowed `error.code`.
 */
export type KnownErrorCode = ErrorCode | TransportErrorCode | LocalErrorCode | PasskeyErrorCode;

/**
 * Every code a {@link TwofoldError} can carry: the {@link KnownErrorCode}s and (typed as plain
 * strings) codes a server invents that the catalogue does not know yet.
 */
export type TwofoldErrorCode = KnownErrorCode | (string & {});

const SDK_CODES: readonly string[] = [...TRANSPORT_CODES, 'CHALLENGE_EXPIRED', ...PASSKEY_CODES];

/**
 * True when `code` is a {@link KnownErrorCode}; false for codes a newer server invented.
 *
 * @example
 * ```ts
 * import { isKnownErrorCode } from '@twofold/client';
 * isKnownErrorCode('MFA_INVALID_CODE'); // true
 * isKnownErrorCode('NETWORK_ERROR'); // true
 * isKnownErrorCode('QUOTA_EXCEEDED'); // false
 * ```
 */
export const isKnownErrorCode = (code: unknown): code is KnownErrorCode =>
  isErrorCode(code) || SDK_CODES.includes(code as string);

/** Why a login challenge refused a code (`MFA_INVALID_CODE` from a Twofold server). */
export type ChallengeRefusal = ChallengeRefusedDetails['reason'];

const BRAND = Symbol.for('@twofold/client/TwofoldError');

export interface TwofoldErrorInit {
  code: TwofoldErrorCode;
  message: string;
  /** HTTP status, or 0 when no response arrived. */
  status?: number;
  details?: unknown;
  /** Seconds to wait before trying again (from `Retry-After` or `details.retry_after_seconds`). */
  retryAfter?: number;
  cause?: unknown;
}

/**
 * The one error class of the SDK. `code` comes from the response envelope (never from the HTTP
 * status alone: auth-framework answers 500 for wrong codes), or is one of `NETWORK_ERROR`,
 * `TIMEOUT`, `ABORTED`, `INVALID_RESPONSE` when no envelope arrived.
 *
 * @example
 * ```ts
 * import { createClient, isTwofoldError } from '@twofold/client';
 * const client = createClient({ baseUrl: 'https://auth.example.com' });
 * let message = '';
 * try {
 *   await client.auth.login({ username: 'ada', password: 'not her password' });
 * } catch (error) {
 *   if (isTwofoldError(error) && error.code === 'RATE_LIMITED') message = `Wait ${error.retryAfter} s`;
 *   else if (isTwofoldError(error) && error.code === 'INVALID_CREDENTIALS') message = 'Wrong password';
 *   else throw error;
 * }
 * message; // 'Wrong password'
 * ```
 */
export class TwofoldError extends Error {
  readonly code: TwofoldErrorCode;
  readonly status: number;
  readonly details: unknown;
  readonly retryAfter: number | undefined;
  /**
   * For `MFA_INVALID_CODE` at login step 2: `'wrong_code'` (try again), `'expired'` or
   * `'exhausted'` (5 wrong codes: log in again). Undefined for other errors and servers that
   * do not say (auth-framework).
   */
  readonly reason: ChallengeRefusal | undefined;
  /** With `reason: 'wrong_code'`: how many more wrong codes the challenge takes. */
  readonly attemptsRemaining: number | undefined;

  constructor(init: TwofoldErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'TwofoldError';
    this.code = init.code;
    this.status = init.status ?? 0;
    this.details = init.details;
    this.retryAfter = init.retryAfter;
    const refused =
      init.code === 'MFA_INVALID_CODE'
        ? (init.details as Partial<ChallengeRefusedDetails> | undefined)
        : undefined;
    this.reason = refused?.reason;
    this.attemptsRemaining = refused?.attempts_remaining;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * True for a {@link TwofoldError} from any realm or copy of the SDK (iframes, workers,
 * duplicated installs), where `instanceof` fails.
 *
 * @example
 * ```ts
 * import { isTwofoldError, TwofoldError } from '@twofold/client';
 * isTwofoldError(new TwofoldError({ code: 'TIMEOUT', message: 'slow' })); // true
 * isTwofoldError(new Error('x')); // false
 * ```
 */
export function isTwofoldError(value: unknown): value is TwofoldError {
  return typeof value === 'object' && value !== null && BRAND in value;
}

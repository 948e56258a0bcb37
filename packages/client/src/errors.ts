import type { ErrorCode } from '@twofold/contract';

/** Codes the SDK adds for failures that never produced an envelope. */
export type TransportErrorCode = 'NETWORK_ERROR' | 'TIMEOUT' | 'ABORTED' | 'INVALID_RESPONSE';

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
export type PasskeyErrorCode =
  | 'PASSKEY_CANCELLED'
  | 'PASSKEY_TIMEOUT'
  | 'PASSKEY_UNSUPPORTED'
  | 'PASSKEY_ALREADY_REGISTERED'
  | 'PASSKEY_SECURITY_ERROR'
  | 'PASSKEY_NOT_OFFERED'
  | 'PASSKEY_FAILED';

/**
 * Every code a {@link TwofoldError} can carry: the contract's catalogue, the transport codes,
 * the passkey codes, and (typed as plain strings) codes a server invents that the catalogue
 * does not know yet.
 */
export type TwofoldErrorCode = ErrorCode | TransportErrorCode | PasskeyErrorCode | (string & {});

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

  constructor(init: TwofoldErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'TwofoldError';
    this.code = init.code;
    this.status = init.status ?? 0;
    this.details = init.details;
    this.retryAfter = init.retryAfter;
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

import { isTwofoldError, type PasskeyErrorCode, TwofoldError } from '../errors.js';

/**
 * What a refusal means, by the name of the DOMException a browser rejects
 * `navigator.credentials.create()`/`.get()` with. SimpleWebAuthn's `WebAuthnError` carries the
 * same name (its `code` only refines it: `ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED` is an
 * `InvalidStateError`, `ERROR_INVALID_RP_ID` a `SecurityError`, …) and the DOMException as its
 * `cause`, so the name alone decides.
 */
const KINDS: Record<string, PasskeyErrorCode> = {
  NotAllowedError: 'PASSKEY_CANCELLED',
  AbortError: 'PASSKEY_CANCELLED',
  InvalidStateError: 'PASSKEY_ALREADY_REGISTERED',
  SecurityError: 'PASSKEY_SECURITY_ERROR',
  NotSupportedError: 'PASSKEY_UNSUPPORTED',
  ConstraintError: 'PASSKEY_UNSUPPORTED',
};

/**
 * A {@link TwofoldError} with a passkey code: the message says what happened
 * (`'Passkey cancelled: …'`) and ends with the message of the `cause`, if any.
 */
export function passkeyError(code: PasskeyErrorCode, cause?: unknown): TwofoldError {
  const detail = (cause as { message?: unknown } | undefined)?.message;
  const what = `Passkey ${code.slice(8).toLowerCase().replace(/_/g, ' ')}`;
  return new TwofoldError({ code, message: detail ? `${what}: ${detail}` : what, cause });
}

/**
 * The {@link TwofoldError} for whatever a WebAuthn ceremony failed with: a DOMException, a
 * SimpleWebAuthn `WebAuthnError`, or anything an authenticator throws; the original becomes
 * the `cause`. A `NotAllowedError` means "cancelled" and "timed out" alike in browsers: it is
 * a timeout when it came once the options' `timeout` (ms) had elapsed.
 */
export function toPasskeyError(
  error: unknown,
  elapsed: number,
  timeout = Infinity,
  signal?: AbortSignal,
): TwofoldError {
  if (isTwofoldError(error)) return error;
  if (signal?.aborted) {
    return new TwofoldError({ code: 'ABORTED', message: 'The request was aborted', cause: error });
  }
  const name = String((error as { name?: unknown } | null)?.name);
  let kind = Object.hasOwn(KINDS, name) ? (KINDS[name] as PasskeyErrorCode) : 'PASSKEY_FAILED';
  // Browsers end a prompt at the timeout by their own clock; allow them 1 % of it.
  if (kind === 'PASSKEY_CANCELLED' && elapsed >= timeout * 0.99) kind = 'PASSKEY_TIMEOUT';
  return passkeyError(kind, error);
}

/**
 * Runs one WebAuthn ceremony (a prompt of the browser or of the given authenticator) and turns
 * its failure into a typed error. An abort of `signal` calls `cancel`, which closes the
 * browser's prompt; the ceremony then fails as `ABORTED`.
 */
export async function ceremony<T>(
  run: () => Promise<T>,
  timeout: number | undefined,
  signal: AbortSignal | undefined,
  cancel: (() => void) | undefined,
): Promise<T> {
  const started = Date.now();
  const abort = () => cancel?.();
  try {
    signal?.throwIfAborted();
    signal?.addEventListener('abort', abort);
    return await run();
  } catch (error) {
    throw toPasskeyError(error, Date.now() - started, timeout, signal);
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}

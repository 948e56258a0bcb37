import { isTwofoldError } from '@twofold/client';
import { h } from './dom.js';

/** What the user reads for each error code of the SDK (the contract's codes, and its own). */
const MESSAGES: Record<string, string> = {
  INVALID_CREDENTIALS: 'Wrong username or password.',
  CONFLICT: 'That username or email is taken.',
  MFA_INVALID_CODE: 'That code did not work. Check it and try again.',
  MFA_UNAUTHORIZED: 'Wrong password or code. Check it and try again.',
  MFA_ALREADY_ENABLED: 'Two-factor authentication is already on.',
  MFA_NOT_ENABLED: 'Two-factor authentication is off.',
  MFA_NOT_PENDING: 'Start the setup again.',
  CHALLENGE_EXPIRED: 'This sign-in took too long. Log in again.',
  // On a signed-in call: the session was ended elsewhere, or its refresh token expired.
  INVALID_TOKEN: 'Your session ended. Log in again.',
  UNAUTHORIZED: 'Your session ended. Log in again.',
  AUTH_REQUIRED: 'Your session ended. Log in again.',
  PASSKEY_CANCELLED: 'The passkey prompt was closed. Try again, or use a code.',
  PASSKEY_TIMEOUT: 'The passkey prompt timed out. Try again, or use a code.',
  PASSKEY_ALREADY_REGISTERED: 'This device already holds a passkey for your account.',
  PASSKEY_SECURITY_ERROR:
    'Passkeys do not work at this address: open this page at its name (localhost, not an IP address).',
  PASSKEY_UNSUPPORTED: 'This browser or device cannot make a passkey.',
  PASSKEY_NOT_OFFERED: 'You have no passkey: use a code.',
  PASSKEY_FAILED: 'The passkey did not work. Try again, or use a code.',
  WEBAUTHN_VERIFICATION_FAILED: 'The server did not accept that passkey.',
  WEBAUTHN_CREDENTIAL_EXISTS: 'That passkey is registered already.',
  WEBAUTHN_NOT_ALLOWED: 'This kind of authenticator is not allowed here.',
  WEBAUTHN_CHALLENGE_INVALID: 'The passkey prompt expired. Try again.',
  NETWORK_ERROR: 'No connection to the server.',
  TIMEOUT: 'The server did not answer in time.',
  SERVICE_UNAVAILABLE: 'The service is busy. Try again in a moment.',
};

/** Whether `error` says the session is gone (the page then goes back to the login screen). */
export const sessionEnded = (error: unknown): boolean =>
  isTwofoldError(error) && ['INVALID_TOKEN', 'UNAUTHORIZED', 'AUTH_REQUIRED'].includes(error.code);

/** `894` → `14:54 min`; under a minute, `42 s`. */
const minutesAndSeconds = (seconds: number) =>
  seconds < 60
    ? `${seconds} s`
    : `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')} min`;

/**
 * What the user reads for a failure: the SDK's error code decides, never the status; the
 * server's text appears only as the detail of a validation error (which field, which rule).
 * `messages` words some codes for the screen at hand. A rate limit counts down from its
 * `retryAfter`.
 */
export function errorMessage(error: unknown, messages: Record<string, string> = {}): HTMLElement {
  const box = h('p', { class: 'error', role: 'alert' });
  if (!isTwofoldError(error)) {
    box.textContent = 'Something went wrong. Try again.';
    return box;
  }
  const seconds = error.retryAfter;
  if (error.code === 'RATE_LIMITED' && seconds !== undefined) {
    let left = Math.ceil(seconds);
    const tick = () => {
      box.textContent =
        left > 0
          ? `Too many attempts. Try again in ${minutesAndSeconds(left)}.`
          : 'You can try again now.';
      // Stops once the message is replaced (the box leaves the page) or the wait is over.
      if (left-- > 0) setTimeout(() => box.isConnected && tick(), 1_000);
    };
    tick();
    return box;
  }
  // A login challenge says why it refused a code: a used-up or expired one needs a new login.
  if (error.reason === 'expired') {
    box.textContent = MESSAGES.CHALLENGE_EXPIRED ?? '';
    return box;
  }
  if (error.reason === 'exhausted') {
    box.textContent = 'Too many wrong codes for this sign-in. Log in again.';
    return box;
  }
  const text =
    error.code === 'VALIDATION_ERROR'
      ? `Check the form: ${error.message}`
      : (messages[error.code] ?? MESSAGES[error.code] ?? `Failed (${error.code}).`);
  const tries = error.attemptsRemaining;
  box.textContent = `${text}${tries === undefined ? '' : ` ${tries} ${tries === 1 ? 'try' : 'tries'} left.`}`;
  return box;
}

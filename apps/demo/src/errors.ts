import { isTwofoldError } from '@twofold/client';
import { h } from './dom.js';

/** `894` → `14:54`; under a minute, `42 s`. */
const minutesAndSeconds = (seconds: number) =>
  seconds < 60
    ? `${seconds} s`
    : `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')} min`;

/**
 * What the user reads for a failure: the SDK's error code decides, never the status or the
 * server's developer text. A rate limit counts down from its `retryAfter`.
 */
export function errorMessage(error: unknown): HTMLElement {
  const box = h('p', { class: 'error', role: 'alert' });
  if (!isTwofoldError(error)) {
    box.textContent = 'Something went wrong. Try again.';
    return box;
  }
  const text: Record<string, string> = {
    INVALID_CREDENTIALS: 'Wrong username or password.',
    CONFLICT: 'That username or email is taken.',
    VALIDATION_ERROR: `Check the form: ${error.message}`,
    MFA_INVALID_CODE: 'That code did not work. Check it and try again.',
    MFA_UNAUTHORIZED: 'Wrong password or code. Check it and try again.',
    MFA_ALREADY_ENABLED: 'Two-factor authentication is already on.',
    MFA_NOT_ENABLED: 'Two-factor authentication is off.',
    MFA_NOT_PENDING: 'Start the setup again.',
    CHALLENGE_EXPIRED: 'This sign-in took too long. Log in again.',
    INVALID_TOKEN: 'This link is invalid or expired. Log in and send another email.',
    PASSKEY_CANCELLED: 'The passkey prompt was closed. Try again, or use a code.',
    PASSKEY_TIMEOUT: 'The passkey prompt timed out. Try again, or use a code.',
    PASSKEY_ALREADY_REGISTERED: 'This device already holds a passkey for your account.',
    PASSKEY_SECURITY_ERROR: `Passkeys do not work at ${location.host}: open this page at its name (localhost, not an IP address).`,
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
  const seconds = error.retryAfter;
  if (error.code === 'RATE_LIMITED' && seconds !== undefined) {
    let left = Math.ceil(seconds);
    const tick = () => {
      box.textContent = `Too many attempts. Try again in ${minutesAndSeconds(left)}.`;
      // Stops once the message is replaced (the box leaves the page) or the wait is over.
      if (left-- > 0) setTimeout(() => box.isConnected && tick(), 1_000);
    };
    tick();
    return box;
  }
  // A login challenge says why it refused a code: a used-up or expired one needs a new login.
  if (error.reason === 'expired' || error.reason === 'exhausted') {
    box.textContent =
      error.reason === 'expired'
        ? 'This sign-in took too long. Log in again.'
        : 'Too many wrong codes for this sign-in. Log in again.';
    return box;
  }
  const tries = error.attemptsRemaining;
  box.textContent = `${text[error.code] ?? `Failed (${error.code}).`}${
    tries === undefined ? '' : ` ${tries} ${tries === 1 ? 'try' : 'tries'} left.`
  }`;
  return box;
}

import { isTwofoldError } from '@twofold/client';
import { h } from './dom.js';

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
    MFA_INVALID_CODE: 'That code did not work. Check your authenticator app and try again.',
    MFA_UNAUTHORIZED: 'Your password (or code) is needed for this.',
    MFA_ALREADY_ENABLED: 'Two-factor authentication is already on.',
    MFA_NOT_ENABLED: 'Two-factor authentication is off.',
    MFA_NOT_PENDING: 'Start the setup again.',
    NETWORK_ERROR: 'No connection to the server.',
    TIMEOUT: 'The server did not answer in time.',
    SERVICE_UNAVAILABLE: 'The service is busy. Try again in a moment.',
  };
  const seconds = error.retryAfter;
  if (error.code === 'RATE_LIMITED' && seconds !== undefined) {
    let left = Math.ceil(seconds);
    const tick = () => {
      box.textContent = `Too many attempts. Try again in ${left} s.`;
      // Stops once the message is replaced (the box leaves the page) or the wait is over.
      if (left-- > 0) setTimeout(() => box.isConnected && tick(), 1_000);
    };
    tick();
    return box;
  }
  box.textContent = text[error.code] ?? `Failed (${error.code}).`;
  return box;
}

import type { RequestContext } from './context.js';

const TOTP_SHAPE = /^[0-9]{6}$/;

/**
 * Checks a code that may be a TOTP code or a backup code (login step 2): six digits are a TOTP
 * code, anything else a backup code (backup codes are 8 characters, never 6 digits).
 */
export async function checkSecondFactor(
  context: RequestContext,
  userId: string,
  code: string,
): Promise<boolean> {
  const { mfa } = context.services;
  const trimmed = code.trim();
  if (TOTP_SHAPE.test(trimmed)) return (await mfa.checkTotp(userId, trimmed)) === 'accepted';
  return (await mfa.consumeBackupCode(userId, trimmed)) === 'accepted';
}

/**
 * Counts an attempt (spec §3 rule 3), runs `check`, and clears the user's count on success.
 * Throws `RATE_LIMITED` when over a limit, before `check` runs.
 */
export async function attempt<T>(
  context: RequestContext,
  userId: string,
  check: () => Promise<T>,
  succeeded: (outcome: T) => boolean,
): Promise<T> {
  const { attempts } = context.services;
  await attempts.count(userId, context.client);
  const outcome = await check();
  if (succeeded(outcome)) await attempts.succeeded(userId, context.client);
  return outcome;
}

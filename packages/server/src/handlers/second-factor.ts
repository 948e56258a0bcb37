import { normalizeTotpCode } from '@twofold/contract';
import type { Services } from '../services.js';

const TOTP_SHAPE = /^[0-9]{6}$/;

/**
 * Checks a code that may be a TOTP code or a backup code (login step 2): six digits are a TOTP
 * code, anything else a backup code (backup codes are 8 characters, never 6 digits). Digits
 * typed with spaces or hyphens (`"123 456"`) are a TOTP code too (spec §6 rule 1).
 */
export async function checkSecondFactor(
  services: Services,
  userId: string,
  code: string,
): Promise<'accepted' | 'wrong-code'> {
  const { mfa } = services;
  const state = await mfa.load(userId);
  const trimmed = normalizeTotpCode(code.trim());
  const outcome = TOTP_SHAPE.test(trimmed)
    ? await mfa.checkTotp(state, trimmed)
    : await mfa.consumeBackupCode(state, trimmed);
  return outcome === 'accepted' ? 'accepted' : 'wrong-code';
}

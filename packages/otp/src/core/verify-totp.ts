import type { HmacFactory } from '../hmac/hmac-factory.js';
import {
  checkSecret,
  hotpSettings,
  integerInRange,
  lastUsedStep,
  MAX_WINDOW,
  timeStep,
} from '../options.js';
import type { VerifyTotpFunction, VerifyTotpOptions, VerifyTotpResult } from '../types.js';
import { parseCode } from './otp-value.js';
import { scanCounters } from './scan-counters.js';

/**
 * RFC 6238 verification with a window, replay protection and constant-time comparison,
 * bound to an HMAC implementation.
 */
export function createVerifyTotp(hmac: HmacFactory): VerifyTotpFunction {
  return (secret, code, options) => verifyTotpWith(hmac, secret, code, options);
}

function verifyTotpWith(
  hmac: HmacFactory,
  secret: Uint8Array,
  code: unknown,
  options: VerifyTotpOptions | undefined,
): VerifyTotpResult {
  const { digits, algorithm } = hotpSettings(options);
  const window = integerInRange(options?.window ?? 1, 'window', 0, MAX_WINDOW);
  const lastUsed = lastUsedStep(options?.lastUsedStep);
  const current = timeStep(options);
  const key = checkSecret(secret);

  const given = parseCode(code, digits);
  if (given < 0) return { ok: false, reason: 'malformed' };

  const mac = hmac(algorithm, key);
  const step = scanCounters(mac, digits, given, Math.max(0, current - window), current + window);
  if (step < 0) return { ok: false, reason: 'mismatch' };
  if (step <= lastUsed) return { ok: false, reason: 'replayed' };
  return { ok: true, step, delta: step - current };
}

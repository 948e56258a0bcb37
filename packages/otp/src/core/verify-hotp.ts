import type { HmacFactory } from '../hmac/hmac-factory.js';
import {
  checkSecret,
  hotpSettings,
  integerInRange,
  MAX_LOOK_AHEAD,
  nonNegativeInteger,
} from '../options.js';
import type { VerifyHotpFunction, VerifyHotpOptions, VerifyHotpResult } from '../types.js';
import { parseCode } from './otp-value.js';
import { scanCounters } from './scan-counters.js';

/** RFC 4226 verification of `counter` and up to `lookAhead` after it, bound to an HMAC. */
export function createVerifyHotp(hmac: HmacFactory): VerifyHotpFunction {
  return (secret, code, counter, options) => verifyHotpWith(hmac, secret, code, counter, options);
}

function verifyHotpWith(
  hmac: HmacFactory,
  secret: Uint8Array,
  code: unknown,
  counter: number,
  options: VerifyHotpOptions | undefined,
): VerifyHotpResult {
  const { digits, algorithm } = hotpSettings(options);
  const lookAhead = integerInRange(options?.lookAhead ?? 0, 'lookAhead', 0, MAX_LOOK_AHEAD);
  const first = nonNegativeInteger(counter, 'counter');
  const last = nonNegativeInteger(first + lookAhead, 'counter + lookAhead');
  const key = checkSecret(secret);

  const given = parseCode(code, digits);
  if (given < 0) return { ok: false, reason: 'malformed' };

  const matched = scanCounters(hmac(algorithm, key), digits, given, first, last);
  return matched < 0 ? { ok: false, reason: 'mismatch' } : { ok: true, counter: matched };
}

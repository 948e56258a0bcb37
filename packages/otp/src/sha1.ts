import { _SHA1 } from '@noble/hashes/legacy.js';
import { createHotp } from './core/hotp.js';
import { createTotp } from './core/totp.js';
import { createVerifyHotp } from './core/verify-hotp.js';
import { createVerifyTotp } from './core/verify-totp.js';
import { nobleHmac } from './hmac/noble-hmac.js';
import type {
  HotpFunction,
  TotpFunction,
  VerifyHotpFunction,
  VerifyTotpFunction,
} from './types.js';

// The API of '@twofold/otp' with SHA-1 only, so a bundle of this entry carries no SHA-2 code.
// Asking for SHA256/SHA512 here throws OtpError('INVALID_OPTION').
export * from './common.js';

const hmac = nobleHmac({ SHA1: _SHA1 });

/**
 * `hotp` of `@twofold/otp`, SHA-1 only.
 *
 * @example
 * ```ts
 * import { hotp } from '@twofold/otp/sha1';
 * hotp(new TextEncoder().encode('12345678901234567890'), 2); // '359152'
 * ```
 */
export const hotp: HotpFunction = /* @__PURE__ */ createHotp(hmac);
/**
 * `totp` of `@twofold/otp`, SHA-1 only: other algorithms throw `OtpError('INVALID_OPTION')`.
 *
 * @example
 * ```ts
 * import { isOtpError, totp } from '@twofold/otp/sha1';
 * const secret = new TextEncoder().encode('12345678901234567890');
 * totp(secret, { time: 59_000, digits: 8 }); // '94287082'
 * let error: unknown;
 * try {
 *   totp(secret, { algorithm: 'SHA256' });
 * } catch (caught) {
 *   error = caught;
 * }
 * isOtpError(error) && error.code; // 'INVALID_OPTION'
 * ```
 */
export const totp: TotpFunction = /* @__PURE__ */ createTotp(hmac);
/**
 * `verifyTotp` of `@twofold/otp`, SHA-1 only.
 *
 * @example
 * ```ts
 * import { verifyTotp } from '@twofold/otp/sha1';
 * const secret = new TextEncoder().encode('12345678901234567890');
 * verifyTotp(secret, '94287082', { time: 89_000, digits: 8 }); // { ok: true, step: 1, delta: -1 }
 * ```
 */
export const verifyTotp: VerifyTotpFunction = /* @__PURE__ */ createVerifyTotp(hmac);
/**
 * `verifyHotp` of `@twofold/otp`, SHA-1 only.
 *
 * @example
 * ```ts
 * import { verifyHotp } from '@twofold/otp/sha1';
 * const secret = new TextEncoder().encode('12345678901234567890');
 * verifyHotp(secret, '969429', 0, { lookAhead: 5 }); // { ok: true, counter: 3 }
 * ```
 */
export const verifyHotp: VerifyHotpFunction = /* @__PURE__ */ createVerifyHotp(hmac);

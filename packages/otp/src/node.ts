import { createHotp } from './core/hotp.js';
import { createTotp } from './core/totp.js';
import { createVerifyHotp } from './core/verify-hotp.js';
import { createVerifyTotp } from './core/verify-totp.js';
import { nodeHmac } from './hmac/node-hmac.js';
import type {
  HotpFunction,
  TotpFunction,
  VerifyHotpFunction,
  VerifyTotpFunction,
} from './types.js';

// The API of '@twofold/otp', with HMAC computed by OpenSSL through node:crypto (servers).
export * from './common.js';

/**
 * `hotp` of `@twofold/otp`, on `node:crypto`.
 *
 * @example
 * ```ts
 * import { hotp } from '@twofold/otp/node';
 * hotp(new TextEncoder().encode('12345678901234567890'), 1); // '287082'
 * ```
 */
export const hotp: HotpFunction = /* @__PURE__ */ createHotp(nodeHmac);
/**
 * `totp` of `@twofold/otp`, on `node:crypto`.
 *
 * @example
 * ```ts
 * import { totp } from '@twofold/otp/node';
 * const secret = new TextEncoder().encode('12345678901234567890123456789012');
 * totp(secret, { time: 59_000, digits: 8, algorithm: 'SHA256' }); // '46119246'
 * ```
 */
export const totp: TotpFunction = /* @__PURE__ */ createTotp(nodeHmac);
/**
 * `verifyTotp` of `@twofold/otp`, on `node:crypto`.
 *
 * @example
 * ```ts
 * import { verifyTotp } from '@twofold/otp/node';
 * const secret = new TextEncoder().encode('12345678901234567890');
 * verifyTotp(secret, '94287082', { time: 59_000, digits: 8 }); // { ok: true, step: 1, delta: 0 }
 * ```
 */
export const verifyTotp: VerifyTotpFunction = /* @__PURE__ */ createVerifyTotp(nodeHmac);
/**
 * `verifyHotp` of `@twofold/otp`, on `node:crypto`.
 *
 * @example
 * ```ts
 * import { verifyHotp } from '@twofold/otp/node';
 * const secret = new TextEncoder().encode('12345678901234567890');
 * verifyHotp(secret, '287082', 1); // { ok: true, counter: 1 }
 * ```
 */
export const verifyHotp: VerifyHotpFunction = /* @__PURE__ */ createVerifyHotp(nodeHmac);

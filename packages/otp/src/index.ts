import { _SHA1 } from '@noble/hashes/legacy.js';
import { _SHA256, _SHA512 } from '@noble/hashes/sha2.js';
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

export * from './common.js';

const hmac = nobleHmac({ SHA1: _SHA1, SHA256: _SHA256, SHA512: _SHA512 });

/**
 * The RFC 4226 HOTP code for a counter (a safe integer, or a bigint up to 2^64 - 1).
 *
 * @example
 * ```ts
 * import { hotp } from '@twofold/otp';
 * hotp(new TextEncoder().encode('12345678901234567890'), 0); // '755224'
 * ```
 */
export const hotp: HotpFunction = /* @__PURE__ */ createHotp(hmac);

/**
 * The RFC 6238 TOTP code at `time` (default now; milliseconds, like `Date.now()`).
 *
 * @example
 * ```ts
 * import { totp } from '@twofold/otp';
 * const secret = new TextEncoder().encode('12345678901234567890');
 * totp(secret, { time: 59_000, digits: 8 }); // '94287082'
 * ```
 */
export const totp: TotpFunction = /* @__PURE__ */ createTotp(hmac);

/**
 * Checks a TOTP code against the current step and `window` steps each side (default 1). Every
 * candidate is computed and compared in constant time. Never throws on `code`, whatever it is:
 * anything but exactly `digits` ASCII digits is `malformed`. Pass the stored `lastUsedStep` to
 * refuse replays, and store the returned `step` on success.
 *
 * @example
 * ```ts
 * import { generateSecret, totp, verifyTotp } from '@twofold/otp';
 * const secret = generateSecret();
 * const result = verifyTotp(secret, totp(secret), { lastUsedStep: -1 });
 * if (result.ok) console.log('store', result.step); // and pass it back as lastUsedStep next time
 * ```
 */
export const verifyTotp: VerifyTotpFunction = /* @__PURE__ */ createVerifyTotp(hmac);

/**
 * Checks an HOTP code against `counter` and up to `lookAhead` counters after it (default 0),
 * in constant time, never throwing on `code`. On success store `counter + 1`.
 *
 * @example
 * ```ts
 * import { verifyHotp } from '@twofold/otp';
 * const secret = new TextEncoder().encode('12345678901234567890');
 * verifyHotp(secret, '359152', 0, { lookAhead: 5 }); // { ok: true, counter: 2 }
 * ```
 */
export const verifyHotp: VerifyHotpFunction = /* @__PURE__ */ createVerifyHotp(hmac);

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

/** `hotp` of `@twofold/otp`, SHA-1 only. */
export const hotp: HotpFunction = /* @__PURE__ */ createHotp(hmac);
/** `totp` of `@twofold/otp`, SHA-1 only. */
export const totp: TotpFunction = /* @__PURE__ */ createTotp(hmac);
/** `verifyTotp` of `@twofold/otp`, SHA-1 only. */
export const verifyTotp: VerifyTotpFunction = /* @__PURE__ */ createVerifyTotp(hmac);
/** `verifyHotp` of `@twofold/otp`, SHA-1 only. */
export const verifyHotp: VerifyHotpFunction = /* @__PURE__ */ createVerifyHotp(hmac);

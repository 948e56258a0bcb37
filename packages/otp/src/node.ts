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

/** `hotp` of `@twofold/otp`, on `node:crypto`. */
export const hotp: HotpFunction = /* @__PURE__ */ createHotp(nodeHmac);
/** `totp` of `@twofold/otp`, on `node:crypto`. */
export const totp: TotpFunction = /* @__PURE__ */ createTotp(nodeHmac);
/** `verifyTotp` of `@twofold/otp`, on `node:crypto`. */
export const verifyTotp: VerifyTotpFunction = /* @__PURE__ */ createVerifyTotp(nodeHmac);
/** `verifyHotp` of `@twofold/otp`, on `node:crypto`. */
export const verifyHotp: VerifyHotpFunction = /* @__PURE__ */ createVerifyHotp(nodeHmac);

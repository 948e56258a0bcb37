// The part of the API that does not depend on an HMAC implementation; every entry point
// re-exports it and adds its own hotp/totp/verifyTotp/verifyHotp.
export { generateBackupCodes, normalizeBackupCode } from './backup-codes.js';
export { base32Decode, base32Encode } from './base32.js';
export { isOtpError, OtpError, type OtpErrorCode } from './errors.js';
export { generateSecret } from './generate-secret.js';
export { buildKeyUri } from './key-uri/build-key-uri.js';
export type { BuildKeyUriOptions, KeyUri } from './key-uri/key-uri-types.js';
export { parseKeyUri } from './key-uri/parse-key-uri.js';
export { timingSafeEqual } from './timing-safe-equal.js';
export type {
  Digits,
  HashAlgorithm,
  HotpFunction,
  HotpOptions,
  TotpFunction,
  TotpOptions,
  VerifyHotpFunction,
  VerifyHotpOptions,
  VerifyHotpResult,
  VerifyTotpFunction,
  VerifyTotpOptions,
  VerifyTotpResult,
} from './types.js';

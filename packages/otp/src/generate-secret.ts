import { integerInRange } from './options.js';

/**
 * A new random secret from the platform CSPRNG (`crypto.getRandomValues`). The default 20
 * bytes (160 bits) is RFC 4226's recommendation; fewer than 16 (128 bits, its minimum) is
 * refused with `OtpError('INVALID_OPTION')`.
 *
 * @example
 * ```ts
 * import { base32Encode, generateSecret } from '@twofold/otp';
 * const secret = generateSecret(); // 20 random bytes
 * const forTheUser = base32Encode(secret); // 32 characters for manual entry
 * ```
 */
export function generateSecret(bytes = 20): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(integerInRange(bytes, 'bytes', 16, 1024)));
}

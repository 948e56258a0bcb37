/** Why an `@twofold/otp` call refused its input. */
export type OtpErrorCode = 'INVALID_BASE32' | 'INVALID_URI' | 'INVALID_SECRET' | 'INVALID_OPTION';

const OTP_ERROR_BRAND = Symbol.for('@twofold/otp/OtpError');

/**
 * The one error class of `@twofold/otp`. Thrown for programmer or configuration mistakes
 * (bad options, bad secrets, bad base32, bad `otpauth://` URIs) — never for a wrong code:
 * verification reports those in its result.
 *
 * @example
 * ```ts
 * import { base32Decode, isOtpError } from '@twofold/otp';
 * try {
 *   base32Decode('not base32!');
 * } catch (error) {
 *   if (isOtpError(error)) console.log(error.code); // 'INVALID_BASE32'
 * }
 * ```
 */
export class OtpError extends Error {
  readonly code: OtpErrorCode;

  constructor(code: OtpErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OtpError';
    this.code = code;
    // A registered symbol survives realms (iframes, workers, duplicated installs) where
    // `instanceof` does not.
    Object.defineProperty(this, OTP_ERROR_BRAND, { value: true });
  }
}

/**
 * True for an {@link OtpError} from any realm or any copy of this package.
 *
 * @example
 * ```ts
 * import { isOtpError, OtpError } from '@twofold/otp';
 * isOtpError(new OtpError('INVALID_URI', 'bad')); // true
 * isOtpError(new Error('bad')); // false
 * ```
 */
export function isOtpError(value: unknown): value is OtpError {
  return typeof value === 'object' && value !== null && OTP_ERROR_BRAND in value;
}

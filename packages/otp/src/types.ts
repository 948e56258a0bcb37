/** Hash functions an OTP may use (RFC 6238 §1.2); `SHA1` is what authenticator apps default to. */
export type HashAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** Code lengths the Key URI format and common authenticators support. */
export type Digits = 6 | 7 | 8;

/** Options of {@link hotp}. */
export interface HotpOptions {
  /** Code length, 6 to 8. Default 6. */
  digits?: Digits;
  /** Default `'SHA1'`. */
  algorithm?: HashAlgorithm;
}

/** Options of {@link totp}. Times are milliseconds since the Unix epoch, like `Date.now()`. */
export interface TotpOptions extends HotpOptions {
  /** The moment to compute the code for. Default `Date.now()`. */
  time?: number;
  /** Time-step length in seconds. Default 30. */
  period?: number;
  /** Start of step 0, in milliseconds since the epoch. Default 0. */
  t0?: number;
}

/** Options of {@link verifyTotp}. */
export interface VerifyTotpOptions extends TotpOptions {
  /** Steps accepted on each side of the current one, 0 to 10. Default 1. */
  window?: number;
  /** The `step` of the last accepted code for this secret: it and older steps are `replayed`. */
  lastUsedStep?: number;
}

/** Result of {@link verifyTotp}: on success, store `step` and pass it back as `lastUsedStep`. */
export type VerifyTotpResult =
  | { ok: true; step: number; delta: number }
  | { ok: false; reason: 'malformed' | 'mismatch' | 'replayed' };

/** Options of {@link verifyHotp}. */
export interface VerifyHotpOptions extends HotpOptions {
  /** Counters after the expected one also accepted (resynchronisation), 0 to 100. Default 0. */
  lookAhead?: number;
}

/** Result of {@link verifyHotp}: on success, the next expected counter is `counter + 1`. */
export type VerifyHotpResult =
  | { ok: true; counter: number }
  | { ok: false; reason: 'malformed' | 'mismatch' };

/** Signature of `hotp` in every entry point. */
export type HotpFunction = (
  secret: Uint8Array,
  counter: number | bigint,
  options?: HotpOptions,
) => string;

/** Signature of `totp` in every entry point. */
export type TotpFunction = (secret: Uint8Array, options?: TotpOptions) => string;

/** Signature of `verifyTotp` in every entry point. */
export type VerifyTotpFunction = (
  secret: Uint8Array,
  code: string,
  options?: VerifyTotpOptions,
) => VerifyTotpResult;

/** Signature of `verifyHotp` in every entry point. */
export type VerifyHotpFunction = (
  secret: Uint8Array,
  code: string,
  counter: number,
  options?: VerifyHotpOptions,
) => VerifyHotpResult;

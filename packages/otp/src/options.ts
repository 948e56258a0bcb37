import { OtpError } from './errors.js';
import type { Digits, HashAlgorithm, HotpOptions, TotpOptions } from './types.js';

const ALGORITHMS: readonly string[] = ['SHA1', 'SHA256', 'SHA512'];

/** RFC 4226 §4 asks for 128 bits; 80-bit secrets are still issued by legacy systems. */
export const MIN_SECRET_BYTES = 10;
export const MAX_WINDOW = 10;
export const MAX_LOOK_AHEAD = 100;

function invalid(message: string): OtpError {
  return new OtpError('INVALID_OPTION', message);
}

/** A non-negative safe integer, or a clear error naming the option. */
export function nonNegativeInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(`${name} must be a non-negative safe integer, got ${String(value)}`);
  }
  return value;
}

export function integerInRange(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

export function isHashAlgorithm(value: unknown): value is HashAlgorithm {
  return typeof value === 'string' && ALGORITHMS.includes(value);
}

export function checkAlgorithm(value: unknown): HashAlgorithm {
  if (!isHashAlgorithm(value)) {
    throw invalid(`algorithm must be 'SHA1', 'SHA256' or 'SHA512', got ${String(value)}`);
  }
  return value;
}

export function checkDigits(value: unknown): Digits {
  return integerInRange(value, 'digits', 6, 8) as Digits;
}

export function checkPeriod(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalid(`period must be a positive integer number of seconds, got ${String(value)}`);
  }
  return value;
}

/** Checks a secret given as bytes; accepts any realm's Uint8Array. */
export function checkSecret(secret: unknown): Uint8Array {
  if (!(secret instanceof Uint8Array || (ArrayBuffer.isView(secret) && secret.constructor?.name === 'Uint8Array'))) {
    throw new OtpError('INVALID_SECRET', 'secret must be a Uint8Array (decode base32 with base32Decode)');
  }
  const bytes = secret as Uint8Array;
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new OtpError(
      'INVALID_SECRET',
      `secret must be at least ${MIN_SECRET_BYTES} bytes, got ${bytes.length}`,
    );
  }
  return bytes;
}

export interface HotpSettings {
  digits: Digits;
  algorithm: HashAlgorithm;
}

export function hotpSettings(options: HotpOptions | undefined): HotpSettings {
  return {
    digits: checkDigits(options?.digits ?? 6),
    algorithm: checkAlgorithm(options?.algorithm ?? 'SHA1'),
  };
}

/** The RFC 6238 time step `floor((time - t0) / period)` for validated options. */
export function timeStep(options: TotpOptions | undefined): number {
  const time = options?.time ?? Date.now();
  const t0 = options?.t0 ?? 0;
  const period = checkPeriod(options?.period ?? 30);
  if (typeof time !== 'number' || !Number.isFinite(time)) {
    throw invalid(`time must be a finite number of milliseconds, got ${String(time)}`);
  }
  if (typeof t0 !== 'number' || !Number.isFinite(t0)) {
    throw invalid(`t0 must be a finite number of milliseconds, got ${String(t0)}`);
  }
  if (time < t0) throw invalid('time must not be before t0');
  const step = Math.floor((time - t0) / (period * 1000));
  // Counters are 8-byte integers; keep every window candidate exactly representable.
  if (step + MAX_WINDOW > Number.MAX_SAFE_INTEGER) throw invalid('time is too far in the future');
  return step;
}

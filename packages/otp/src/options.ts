import { OtpError } from './errors.js';
import type { Digits, HashAlgorithm, HotpOptions, TotpOptions } from './types.js';

const ALGORITHMS: readonly string[] = ['SHA1', 'SHA256', 'SHA512'];

/** RFC 4226 §4 asks for 128 bits; 80-bit secrets are still issued by legacy systems. */
const MIN_SECRET_BYTES = 10;
export const MAX_WINDOW = 10;
export const MAX_LOOK_AHEAD = 100;

/** One message shape for every bad option keeps the errors uniform (and the bundle small). */
export function invalidOption(name: string, expected: string, value: unknown): OtpError {
  return new OtpError('INVALID_OPTION', `${name} must be ${expected}, got ${String(value)}`);
}

/** A non-negative safe integer, or a clear error naming the option. */
export function nonNegativeInteger(value: unknown, name: string): number {
  return integerInRange(value, name, 0, Number.MAX_SAFE_INTEGER);
}

export function integerInRange(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidOption(name, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

function finiteNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidOption(name, 'a finite number', value);
  }
  return value;
}

export function isHashAlgorithm(value: unknown): value is HashAlgorithm {
  return typeof value === 'string' && ALGORITHMS.includes(value);
}

export function checkAlgorithm(value: unknown): HashAlgorithm {
  if (!isHashAlgorithm(value)) throw invalidOption('algorithm', ALGORITHMS.join(', '), value);
  return value;
}

export function checkDigits(value: unknown): Digits {
  return integerInRange(value, 'digits', 6, 8) as Digits;
}

/** A step length in whole seconds, at least 1. */
export function checkPeriod(value: unknown): number {
  return integerInRange(value, 'period', 1, Number.MAX_SAFE_INTEGER);
}

/** Checks a secret given as bytes; accepts any realm's Uint8Array. */
export function checkSecret(secret: unknown): Uint8Array {
  const isBytes =
    secret instanceof Uint8Array ||
    (ArrayBuffer.isView(secret) && secret.constructor?.name === 'Uint8Array');
  const length = isBytes ? (secret as Uint8Array).length : -1;
  if (length < MIN_SECRET_BYTES) {
    throw new OtpError(
      'INVALID_SECRET',
      `secret must be a Uint8Array of ${MIN_SECRET_BYTES}+ bytes, got ${isBytes ? length : typeof secret}`,
    );
  }
  return secret as Uint8Array;
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
  const period = checkPeriod(options?.period ?? 30);
  const t0 = finiteNumber(options?.t0 ?? 0, 't0');
  const time = finiteNumber(options?.time ?? Date.now(), 'time');
  const step = Math.floor((time - t0) / (period * 1000));
  // Counters are 8-byte integers; keep every window candidate exactly representable.
  if (step < 0 || step + MAX_WINDOW > Number.MAX_SAFE_INTEGER) {
    throw invalidOption('time', 'between t0 and 2^53 steps after it', time);
  }
  return step;
}

/** `lastUsedStep` as given, or -1 (nothing used yet). */
export function lastUsedStep(value: unknown): number {
  return value === undefined ? -1 : finiteNumber(value, 'lastUsedStep');
}

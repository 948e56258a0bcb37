import { OtpError } from './errors.js';
import { integerInRange } from './options.js';

/** Upper-case letters and digits without the look-alikes 0/O and 1/I: 32 symbols, 5 bits each. */
const DEFAULT_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * What users type into a backup-code field, reduced to the stored form: trimmed, upper case,
 * with spaces and hyphens dropped (so `abcd-efgh 12` matches `ABCDEFGH12`).
 *
 * @example
 * ```ts
 * import { normalizeBackupCode } from '@twofold/otp';
 * normalizeBackupCode(' k7pq-2mxz ab '); // 'K7PQ2MXZAB'
 * ```
 */
export function normalizeBackupCode(input: string): string {
  return String(input).trim().toUpperCase().replace(/[\s-]/g, '');
}

function checkAlphabet(alphabet: unknown): string {
  if (typeof alphabet !== 'string') {
    throw new OtpError('INVALID_OPTION', 'alphabet must be a string');
  }
  const symbols = [...alphabet];
  if (symbols.length < 2 || symbols.length > 256 || new Set(symbols).size !== symbols.length) {
    throw new OtpError('INVALID_OPTION', 'alphabet must have 2 to 256 distinct characters');
  }
  // A code the user types back is normalised first; a symbol that normalisation changes
  // could never match.
  if (symbols.some((symbol) => normalizeBackupCode(symbol) !== symbol)) {
    throw new OtpError(
      'INVALID_OPTION',
      'alphabet must not contain lower-case letters, spaces or hyphens (backup codes are normalised)',
    );
  }
  return alphabet;
}

/** Uniform picks from the alphabet: bytes at or above the largest multiple are rejected. */
function randomCode(symbols: readonly string[], length: number): string {
  const limit = 256 - (256 % symbols.length);
  const picks: string[] = [];
  while (picks.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && picks.length < length)
        picks.push(symbols[byte % symbols.length] as string);
    }
  }
  return picks.join('');
}

/**
 * One-time recovery codes from the platform CSPRNG, distinct within the batch. The default
 * 10 codes of 10 characters carry 50 bits each. Store them hashed; compare what the user types
 * after {@link normalizeBackupCode}.
 *
 * @example
 * ```ts
 * import { generateBackupCodes } from '@twofold/otp';
 * const codes = generateBackupCodes(); // ['K7PQ2MXZAB', ...] (10 codes)
 * const pins = generateBackupCodes(8, { length: 8, alphabet: '0123456789' });
 * ```
 */
export function generateBackupCodes(
  count = 10,
  options?: { length?: number; alphabet?: string },
): string[] {
  const total = integerInRange(count, 'count', 1, 1000);
  const length = integerInRange(options?.length ?? 10, 'length', 6, 64);
  const symbols = [...checkAlphabet(options?.alphabet ?? DEFAULT_ALPHABET)];
  if (length * Math.log2(symbols.length) < Math.log2(total) + 16) {
    throw new OtpError(
      'INVALID_OPTION',
      'length and alphabet are too small for this many distinct codes',
    );
  }
  const codes = new Set<string>();
  while (codes.size < total) codes.add(randomCode(symbols, length));
  return [...codes];
}

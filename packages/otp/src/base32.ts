import { OtpError } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Character code → 5-bit value, -1 for characters outside the alphabet (both cases). */
const DECODE_TABLE: Int8Array = /* @__PURE__ */ (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) {
    table[ALPHABET.charCodeAt(i)] = i;
    table[ALPHABET.toLowerCase().charCodeAt(i)] = i;
  }
  return table;
})();

/** Lengths (mod 8) that no whole number of bytes encodes to. */
const IMPOSSIBLE_REMAINDERS = new Set([1, 3, 6]);

/**
 * RFC 4648 base32, upper case, without `=` padding (the form authenticator apps show).
 *
 * @example
 * ```ts
 * import { base32Encode } from '@twofold/otp';
 * base32Encode(new TextEncoder().encode('foobar')); // 'MZXW6YTBOI'
 * ```
 */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decodes RFC 4648 base32 as people paste it: any case, spaces and hyphens between groups,
 * optional trailing `=` padding. Anything else throws `OtpError('INVALID_BASE32')`.
 *
 * @example
 * ```ts
 * import { base32Decode } from '@twofold/otp';
 * base32Decode('mzxw 6ytb-oi======'); // the bytes of 'foobar'
 * ```
 */
export function base32Decode(text: string): Uint8Array {
  if (typeof text !== 'string') {
    throw new OtpError('INVALID_BASE32', 'base32 input must be a string');
  }
  const compact = text.replace(/[\s-]/g, '');
  const data = compact.replace(/=+$/, '');
  if (IMPOSSIBLE_REMAINDERS.has(data.length % 8)) {
    throw new OtpError('INVALID_BASE32', `base32 text has an impossible length (${data.length})`);
  }
  const out = new Uint8Array(Math.floor((data.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (let i = 0; i < data.length; i++) {
    const code = data.charCodeAt(i);
    const value = code < 128 ? (DECODE_TABLE[code] as number) : -1;
    if (value < 0) {
      throw new OtpError('INVALID_BASE32', `invalid base32 character at position ${i}`);
    }
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = buffer >>> bits;
    }
  }
  return out;
}

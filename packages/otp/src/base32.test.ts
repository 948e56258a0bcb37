import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vectors } from '../test/vectors.js';
import { base32Decode, base32Encode } from './base32.js';

const text = new TextEncoder();

// RFC 4648 §10, without padding.
const RFC4648 = [
  ['', ''],
  ['f', 'MY'],
  ['fo', 'MZXQ'],
  ['foo', 'MZXW6'],
  ['foob', 'MZXW6YQ'],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI'],
] as const;

describe('base32', () => {
  it.each(RFC4648)('encodes %j as %j (RFC 4648 §10, no padding)', (plain, encoded) => {
    expect(base32Encode(text.encode(plain))).toBe(encoded);
    expect(base32Decode(encoded)).toEqual(text.encode(plain));
  });

  it('encodes the RFC seeds as the vectors file does', () => {
    for (const seedInfo of Object.values(vectors.totp_rfc6238.seeds)) {
      expect(base32Encode(text.encode(seedInfo.ascii))).toBe(seedInfo.base32);
    }
  });

  it('decodes lower case, spaces, hyphens and = padding', () => {
    const bytes = text.encode('foobar');
    for (const input of [
      'mzxw6ytboi',
      'MZXW 6YTB OI',
      'mzxw-6ytb-oi',
      'MZXW6YTBOI======',
      ' mzxw6ytboi\n',
    ]) {
      expect(base32Decode(input), input).toEqual(bytes);
    }
  });

  it('throws OtpError(INVALID_BASE32) for characters outside the alphabet and bad lengths', () => {
    for (const input of [
      'MZXW1',
      'MZXW0',
      'MZ=XW',
      'MZXW6YTBOI==X',
      'A',
      'ABC',
      'ABCDEF',
      'é',
      '😀AA',
    ]) {
      expect(() => base32Decode(input), input).toThrow(
        expect.objectContaining({ name: 'OtpError', code: 'INVALID_BASE32' }),
      );
    }
    expect(() => base32Decode(42 as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_BASE32' }),
    );
  });

  it('round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const encoded = base32Encode(bytes);
        expect(encoded).toMatch(/^[A-Z2-7]*$/);
        expect(base32Decode(encoded)).toEqual(bytes);
        expect(base32Decode(encoded.toLowerCase())).toEqual(bytes);
      }),
      { numRuns: 2_000 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { hexToBytes, vectors } from '../../test/vectors.js';
import { verifyHotp } from '../index.js';

const secret = hexToBytes(vectors.hotp_rfc4226.secret.hex);
const codes = vectors.hotp_rfc4226.vectors.map((row) => row.hotp);

describe('verifyHotp', () => {
  it('accepts only the expected counter by default', () => {
    expect(verifyHotp(secret, codes[3] as string, 3)).toEqual({ ok: true, counter: 3 });
    expect(verifyHotp(secret, codes[4] as string, 3)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyHotp(secret, codes[2] as string, 3)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('accepts up to lookAhead counters ahead, never behind', () => {
    expect(verifyHotp(secret, codes[7] as string, 3, { lookAhead: 4 })).toEqual({
      ok: true,
      counter: 7,
    });
    expect(verifyHotp(secret, codes[8] as string, 3, { lookAhead: 4 })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyHotp(secret, codes[2] as string, 3, { lookAhead: 4 })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('reports malformed codes without throwing', () => {
    for (const code of ['', '75522', '7552244', 'abcdef', null, 755224]) {
      expect(verifyHotp(secret, code as never, 0)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('throws INVALID_OPTION for a bad counter or lookAhead', () => {
    for (const [counter, lookAhead] of [
      [-1, 0],
      [1.5, 0],
      [0, -1],
      [0, 101],
      [Number.MAX_SAFE_INTEGER, 1],
    ] as const) {
      expect(() => verifyHotp(secret, '755224', counter, { lookAhead })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION' }),
      );
    }
  });
});

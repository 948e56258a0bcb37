import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as main from '../src/index.js';
import * as node from '../src/node.js';
import * as sha1 from '../src/sha1.js';
import { seed } from './vectors.js';

describe('entry points', () => {
  it('export the same API', () => {
    expect(Object.keys(node).sort()).toEqual(Object.keys(main).sort());
    expect(Object.keys(sha1).sort()).toEqual(Object.keys(main).sort());
  });

  it('@twofold/otp/sha1 refuses SHA-2 with INVALID_OPTION instead of computing something else', () => {
    for (const algorithm of ['SHA256', 'SHA512'] as const) {
      expect(() => sha1.totp(seed(algorithm), { algorithm })).toThrow(
        expect.objectContaining({ name: 'OtpError', code: 'INVALID_OPTION' }),
      );
      expect(() => sha1.verifyTotp(seed(algorithm), '123456', { algorithm })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION' }),
      );
    }
  });

  it('@twofold/otp/node computes exactly what the noble entry computes (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 10, maxLength: 100 }),
        fc.constantFrom('SHA1', 'SHA256', 'SHA512' as const),
        fc.constantFrom(6, 7, 8 as const),
        fc.integer({ min: 0, max: 2 ** 45 }),
        (secret, algorithm, digits, time) => {
          const options = { time, algorithm, digits };
          const code = main.totp(secret, options);
          expect(node.totp(secret, options)).toBe(code);
          expect(node.verifyTotp(secret, code, options)).toEqual(
            main.verifyTotp(secret, code, options),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

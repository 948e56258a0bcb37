import { createHmac } from 'node:crypto';
import { _SHA1 } from '@noble/hashes/legacy.js';
import { _SHA256, _SHA512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nobleHmac } from './noble-hmac.js';

const hmac = nobleHmac({ SHA1: _SHA1, SHA256: _SHA256, SHA512: _SHA512 });
const nodeName = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' } as const;
const algorithm = fc.constantFrom('SHA1', 'SHA256', 'SHA512' as const);

describe('nobleHmac', () => {
  it('equals node:crypto HMAC for any key length (short, block-sized, hashed) and message', () => {
    fc.assert(
      fc.property(
        algorithm,
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 200 }),
        (alg, key, message) => {
          const expected = createHmac(nodeName[alg], key).update(message).digest();
          expect(Buffer.from(hmac(alg, key)(message))).toEqual(expected);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('keeps each key right when MAC functions of different keys are interleaved', () => {
    fc.assert(
      fc.property(
        algorithm,
        fc.uint8Array({ minLength: 1, maxLength: 80 }),
        fc.uint8Array({ minLength: 1, maxLength: 80 }),
        (alg, keyA, keyB) => {
          const macA = hmac(alg, keyA);
          const macB = hmac(alg, keyB);
          const message = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
          expect(Buffer.from(macA(message))).toEqual(
            createHmac(nodeName[alg], keyA).update(message).digest(),
          );
          expect(Buffer.from(macB(message))).toEqual(
            createHmac(nodeName[alg], keyB).update(message).digest(),
          );
          expect(Buffer.from(macA(message))).toEqual(
            createHmac(nodeName[alg], keyA).update(message).digest(),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses an algorithm the entry point was not given', () => {
    expect(() => nobleHmac({ SHA1: _SHA1 })('SHA256', new Uint8Array(20))).toThrow(
      expect.objectContaining({ name: 'OtpError', code: 'INVALID_OPTION' }),
    );
  });
});

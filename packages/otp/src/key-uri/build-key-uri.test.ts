import { describe, expect, it } from 'vitest';
import { seed } from '../../test/vectors.js';
import { buildKeyUri } from './build-key-uri.js';

const secret = seed('SHA1');
const base32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('buildKeyUri', () => {
  it('writes a TOTP URI with the Issuer:account label and every parameter', () => {
    expect(buildKeyUri({ secret, account: 'ada@example.com', issuer: 'Acme' })).toBe(
      `otpauth://totp/Acme:ada%40example.com?secret=${base32}&issuer=Acme&algorithm=SHA1&digits=6&period=30`,
    );
  });

  it('percent-encodes the label and issuer (spaces as %20)', () => {
    const uri = buildKeyUri({ secret, account: 'ada lovelace/ü', issuer: 'Acme & Co' });
    expect(uri).toContain('otpauth://totp/Acme%20%26%20Co:ada%20lovelace%2F%C3%BC?');
    expect(uri).toContain('&issuer=Acme%20%26%20Co&');
  });

  it('writes the algorithm as SHA1/SHA256/SHA512 and honours digits and period', () => {
    for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
      const uri = buildKeyUri({ secret, account: 'a', algorithm, digits: 8, period: 60 });
      expect(uri).toBe(
        `otpauth://totp/a?secret=${base32}&algorithm=${algorithm}&digits=8&period=60`,
      );
    }
  });

  it('writes HOTP URIs with a counter and no period', () => {
    expect(buildKeyUri({ secret, account: 'a', type: 'hotp', counter: 42 })).toBe(
      `otpauth://hotp/a?secret=${base32}&algorithm=SHA1&digits=6&counter=42`,
    );
    expect(buildKeyUri({ secret, account: 'a', type: 'hotp' })).toContain('&counter=0');
  });

  it('accepts the secret as base32 text in any case and writes it canonically', () => {
    expect(buildKeyUri({ secret: base32.toLowerCase(), account: 'a' })).toContain(
      `secret=${base32}&`,
    );
  });

  it('refuses what would not read back the same or is not a usable key', () => {
    const bad = [
      [{ account: '' }, 'INVALID_OPTION'],
      [{ account: 'a:b' }, 'INVALID_OPTION'],
      [{ account: ' a' }, 'INVALID_OPTION'],
      [{ account: 'a', issuer: 'Ac:me' }, 'INVALID_OPTION'],
      [{ account: 'a', issuer: '' }, 'INVALID_OPTION'],
      [{ account: 'x'.repeat(257) }, 'INVALID_OPTION'],
      [{ account: 'a', digits: 9 }, 'INVALID_OPTION'],
      [{ account: 'a', period: 0 }, 'INVALID_OPTION'],
      [{ account: 'a', algorithm: 'MD5' }, 'INVALID_OPTION'],
      [{ account: 'a', type: 'motp' }, 'INVALID_OPTION'],
      [{ account: 'a', counter: 1 }, 'INVALID_OPTION'],
      [{ account: 'a', type: 'hotp', counter: -1 }, 'INVALID_OPTION'],
      [{ account: 'a', secret: 'not base32!' }, 'INVALID_BASE32'],
      [{ account: 'a', secret: new Uint8Array(9) }, 'INVALID_SECRET'],
    ] as const;
    for (const [options, code] of bad) {
      expect(() => buildKeyUri({ secret, ...options } as never), JSON.stringify(options)).toThrow(
        expect.objectContaining({ name: 'OtpError', code }),
      );
    }
  });
});

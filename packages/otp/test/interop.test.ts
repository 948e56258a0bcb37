import { parse as otplibParse } from '@otplib/uri';
import * as OTPAuth from 'otpauth';
import {
  generateSync as otplibGenerate,
  generateURI as otplibUri,
  verifySync as otplibVerify,
} from 'otplib';
import { describe, expect, it } from 'vitest';
import {
  base32Encode,
  buildKeyUri,
  generateSecret,
  parseKeyUri,
  totp,
  verifyTotp,
} from '../src/index.js';

// otpauth and otplib are devDependencies of these tests only.
const algorithms = ['SHA1', 'SHA256', 'SHA512'] as const;
const times = [0, 59_000, 1_111_111_109_000, 1_700_000_000_000, 20_000_000_000_000];

describe('interop with otpauth', () => {
  it.each(algorithms)(
    '%s codes from otpauth verify with ours, and ours with otpauth',
    (algorithm) => {
      for (const digits of [6, 8] as const) {
        const secret = generateSecret(32);
        const theirs = new OTPAuth.TOTP({
          secret: OTPAuth.Secret.fromBase32(base32Encode(secret)),
          algorithm,
          digits,
          period: 30,
        });
        for (const time of times) {
          const theirCode = theirs.generate({ timestamp: time });
          expect(verifyTotp(secret, theirCode, { time, algorithm, digits, window: 0 }).ok).toBe(
            true,
          );
          const ourCode = totp(secret, { time: time + 30_000, algorithm, digits });
          expect(ourCode).toBe(theirs.generate({ timestamp: time + 30_000 }));
          expect(theirs.validate({ token: ourCode, timestamp: time, window: 1 })).toBe(1);
        }
      }
    },
  );

  it('parses the URIs we build, and we parse theirs', () => {
    const secret = generateSecret();
    const uri = buildKeyUri({
      secret,
      account: 'ada@example.com',
      issuer: 'Acme & Co',
      algorithm: 'SHA256',
      digits: 8,
      period: 45,
    });
    const parsed = OTPAuth.URI.parse(uri);
    expect(parsed).toBeInstanceOf(OTPAuth.TOTP);
    expect(parsed).toMatchObject({
      issuer: 'Acme & Co',
      label: 'ada@example.com',
      algorithm: 'SHA256',
      digits: 8,
      period: 45,
    });
    expect(parsed.secret.base32).toBe(base32Encode(secret));

    const theirs = new OTPAuth.HOTP({
      issuer: 'Acme',
      label: 'bob',
      secret: OTPAuth.Secret.fromBase32(base32Encode(secret)),
      counter: 9,
      algorithm: 'SHA512',
      digits: 7,
    });
    expect(parseKeyUri(theirs.toString())).toEqual({
      type: 'hotp',
      account: 'bob',
      issuer: 'Acme',
      secret,
      algorithm: 'SHA512',
      digits: 7,
      period: 30,
      counter: 9,
    });
  });
});

describe('interop with otplib', () => {
  it.each(algorithms)(
    '%s codes from otplib verify with ours, and ours with otplib',
    (algorithm) => {
      const secret = generateSecret(32);
      const base32 = base32Encode(secret);
      const otplibAlgorithm = algorithm.toLowerCase() as 'sha1' | 'sha256' | 'sha512';
      for (const time of times.filter((t) => t > 0)) {
        const epoch = time / 1000;
        const theirCode = otplibGenerate({ secret: base32, epoch, algorithm: otplibAlgorithm });
        expect(verifyTotp(secret, theirCode, { time, algorithm, window: 0 }).ok).toBe(true);
        const ourCode = totp(secret, { time: time - 30_000, algorithm });
        expect(
          otplibVerify({
            secret: base32,
            token: ourCode,
            epoch,
            algorithm: otplibAlgorithm,
            epochTolerance: 30,
          }).valid,
        ).toBe(true);
      }
    },
  );

  it('parses the URIs we build, and we parse theirs', () => {
    const secret = generateSecret();
    const uri = buildKeyUri({
      secret,
      account: 'ada@example.com',
      issuer: 'Acme',
      algorithm: 'SHA512',
      digits: 8,
      period: 60,
    });
    expect(otplibParse(uri)).toEqual({
      type: 'totp',
      label: 'Acme:ada@example.com',
      params: {
        secret: base32Encode(secret),
        issuer: 'Acme',
        algorithm: 'sha512',
        digits: 8,
        period: 60,
      },
    });

    const theirs = otplibUri({
      issuer: 'Acme',
      label: 'bob@example.com',
      secret: base32Encode(secret),
      digits: 8,
      period: 60,
      algorithm: 'sha256',
    });
    expect(parseKeyUri(theirs)).toEqual({
      type: 'totp',
      account: 'bob@example.com',
      issuer: 'Acme',
      secret,
      algorithm: 'SHA256',
      digits: 8,
      period: 60,
    });
  });
});

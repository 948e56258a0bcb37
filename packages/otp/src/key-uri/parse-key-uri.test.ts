import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seed } from '../../test/vectors.js';
import { buildKeyUri } from './build-key-uri.js';
import { parseKeyUri } from './parse-key-uri.js';

const secret = seed('SHA1');
const base32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('parseKeyUri', () => {
  it('reads a full TOTP URI', () => {
    expect(
      parseKeyUri(
        `otpauth://totp/Acme:ada%40example.com?secret=${base32}&issuer=Acme&algorithm=SHA256&digits=8&period=60`,
      ),
    ).toEqual({
      type: 'totp',
      account: 'ada@example.com',
      issuer: 'Acme',
      secret,
      algorithm: 'SHA256',
      digits: 8,
      period: 60,
    });
  });

  it('fills the defaults and omits an absent issuer', () => {
    const key = parseKeyUri(`otpauth://totp/ada?secret=${base32}`);
    expect(key).toEqual({
      type: 'totp',
      account: 'ada',
      secret,
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    });
    expect('issuer' in key).toBe(false);
  });

  it('lets the issuer parameter win over the label prefix', () => {
    expect(parseKeyUri(`otpauth://totp/Old:ada?secret=${base32}&issuer=New`).issuer).toBe('New');
    expect(parseKeyUri(`otpauth://totp/Old:ada?secret=${base32}`).issuer).toBe('Old');
    expect(parseKeyUri(`otpauth://totp/Old%3A%20ada?secret=${base32}`)).toMatchObject({
      issuer: 'Old',
      account: 'ada',
    });
  });

  it('is lenient: any case, unknown parameters, fragments, padded secrets', () => {
    const key = parseKeyUri(
      `OTPAUTH://TOTP/ada?Secret=${base32.toLowerCase()}==&algorithm=sha512&image=https%3A%2F%2Fx&foo#bar`,
    );
    expect(key).toMatchObject({ type: 'totp', account: 'ada', secret, algorithm: 'SHA512' });
  });

  it('reads HOTP URIs with their counter', () => {
    expect(parseKeyUri(`otpauth://hotp/ada?secret=${base32}&counter=7`)).toMatchObject({
      type: 'hotp',
      counter: 7,
    });
  });

  it('is strict about what matters, with OtpError(INVALID_URI)', () => {
    const bad = [
      `https://totp/ada?secret=${base32}`,
      `otpauth:totp/ada?secret=${base32}`,
      `otpauth://motp/ada?secret=${base32}`,
      `otpauth://totp/?secret=${base32}`,
      `otpauth://totp/Acme:?secret=${base32}`,
      'otpauth://totp/ada',
      'otpauth://totp/ada?secret=',
      'otpauth://totp/ada?secret=not-base32!',
      'otpauth://totp/ada?secret=GEZDGNBV',
      `otpauth://totp/ada?secret=${base32}&secret=${base32}`,
      `otpauth://totp/ada?secret=${base32}&digits=5`,
      `otpauth://totp/ada?secret=${base32}&digits=9`,
      `otpauth://totp/ada?secret=${base32}&digits=six`,
      `otpauth://totp/ada?secret=${base32}&period=0`,
      `otpauth://totp/ada?secret=${base32}&period=-30`,
      `otpauth://totp/ada?secret=${base32}&algorithm=MD5`,
      `otpauth://hotp/ada?secret=${base32}`,
      `otpauth://totp/%E0%A4%A?secret=${base32}`,
      `otpauth://totp/${'a'.repeat(300)}?secret=${base32}`,
      `otpauth://totp/ada?secret=${'A'.repeat(1100)}`,
      `otpauth://totp/ada?secret=${base32}&issuer=${'i'.repeat(300)}`,
      `otpauth://totp/ada?secret=${base32}&x=${'y'.repeat(5000)}`,
      '',
      42,
      null,
    ];
    for (const uri of bad) {
      expect(() => parseKeyUri(uri as never), String(uri).slice(0, 80)).toThrow(
        expect.objectContaining({ name: 'OtpError', code: 'INVALID_URI' }),
      );
    }
  });

  it('round-trips every URI buildKeyUri writes (property)', () => {
    const name = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
      .filter((value) => !value.includes(':') && value.trim() === value && value.length <= 256);
    const options = fc.record(
      {
        secret: fc.uint8Array({ minLength: 10, maxLength: 64 }),
        account: name,
        issuer: name,
        algorithm: fc.constantFrom('SHA1', 'SHA256', 'SHA512' as const),
        digits: fc.constantFrom(6, 7, 8 as const),
        period: fc.integer({ min: 1, max: 3600 }),
      },
      { requiredKeys: ['secret', 'account'] },
    );
    fc.assert(
      fc.property(options, (input) => {
        const parsed = parseKeyUri(buildKeyUri(input));
        expect(parsed).toEqual({
          type: 'totp',
          algorithm: 'SHA1',
          digits: 6,
          period: 30,
          ...input,
        });
      }),
      { numRuns: 1_000 },
    );
  });

  it('never throws anything but OtpError(INVALID_URI) on arbitrary input', () => {
    const prefix = fc.constantFrom(
      '',
      'otpauth://totp/',
      'otpauth://hotp/a:b?',
      `otpauth://totp/a?secret=${base32}&`,
    );
    fc.assert(
      fc.property(prefix, fc.string({ unit: 'binary', maxLength: 200 }), (head, tail) => {
        try {
          parseKeyUri(head + tail);
        } catch (error) {
          expect(error).toMatchObject({ name: 'OtpError', code: 'INVALID_URI' });
        }
      }),
      { numRuns: 3_000 },
    );
  }, 30_000);
});

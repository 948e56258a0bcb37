import { describe, expect, it } from 'vitest';
import { entries } from './entries.js';
import { referenceHotp } from './reference-hotp.js';
import { hexToBytes, seed, vectors } from './vectors.js';

const hotpSecret = hexToBytes(vectors.hotp_rfc4226.secret.hex);

describe.each(entries)('$name against the RFC vectors', ({ otp, algorithms }) => {
  it('has the 10 HOTP and 18 TOTP vectors to check', () => {
    expect(vectors.hotp_rfc4226.vectors).toHaveLength(10);
    expect(vectors.totp_rfc6238.vectors).toHaveLength(18);
  });

  it.each(vectors.hotp_rfc4226.vectors)('HOTP counter $counter is $hotp', ({ counter, hotp }) => {
    expect(otp.hotp(hotpSecret, counter)).toBe(hotp);
    expect(otp.hotp(hotpSecret, BigInt(counter))).toBe(hotp);
    expect(otp.verifyHotp(hotpSecret, hotp, counter)).toEqual({ ok: true, counter });
  });

  const totpRows = vectors.totp_rfc6238.vectors.filter((row) =>
    (algorithms as readonly string[]).includes(row.algorithm),
  );

  it.each(totpRows)('TOTP $algorithm at $time s is $totp', (row) => {
    const secret = seed(row.algorithm);
    const options = { time: row.time_ms, algorithm: row.algorithm } as const;
    expect(otp.totp(secret, { ...options, digits: 8 })).toBe(row.totp);
    expect(otp.totp(secret, options)).toBe(row.totp_6_digits_derived);
    expect(otp.verifyTotp(secret, row.totp, { ...options, digits: 8, window: 0 })).toEqual({
      ok: true,
      step: row.t,
      delta: 0,
    });
    expect(otp.verifyTotp(secret, row.totp_6_digits_derived, { ...options, window: 0 })).toEqual({
      ok: true,
      step: row.t,
      delta: 0,
    });
  });

  it('computes codes for times whose seconds exceed 2^32 (the year-2603 row)', () => {
    const row = vectors.totp_rfc6238.vectors.find((r) => r.time === 20_000_000_000);
    expect(row?.time).toBeGreaterThan(2 ** 32);
    expect(otp.totp(seed('SHA1'), { time: 20_000_000_000_000, digits: 8 })).toBe('65353130');
  });

  it.each([2 ** 32, 2 ** 40 + 12_345, Number.MAX_SAFE_INTEGER])(
    'writes the 64-bit counter %d big-endian',
    (counter) => {
      const expected = referenceHotp(hotpSecret, BigInt(counter));
      expect(otp.hotp(hotpSecret, counter)).toBe(expected);
      expect(otp.hotp(hotpSecret, BigInt(counter))).toBe(expected);
    },
  );

  it('takes bigint counters up to 2^64 - 1', () => {
    const max = 2n ** 64n - 1n;
    expect(otp.hotp(hotpSecret, max)).toBe(referenceHotp(hotpSecret, max));
  });
});

import { _SHA1 } from '@noble/hashes/legacy.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seed } from '../../test/vectors.js';
import type { HmacFactory } from '../hmac/hmac-factory.js';
import { nobleHmac } from '../hmac/noble-hmac.js';
import { generateSecret, totp, verifyTotp } from '../index.js';
import { createVerifyTotp } from './verify-totp.js';

const secret = seed('SHA1');
const now = 1_700_000_000_000;
const period = 30_000;
const codeAt = (offsetSteps: number, s = secret) => totp(s, { time: now + offsetSteps * period });
const currentStep = Math.floor(now / period);

/** Wraps an HMAC factory to count how often it is keyed and how often a MAC is computed. */
function countingHmac() {
  const calls = { keyed: 0, macs: 0 };
  const inner = nobleHmac({ SHA1: _SHA1 });
  const hmac: HmacFactory = (algorithm, key) => {
    calls.keyed++;
    const mac = inner(algorithm, key);
    return (message) => {
      calls.macs++;
      return mac(message);
    };
  };
  return { hmac, calls };
}

describe('verifyTotp', () => {
  it('accepts the current code and returns its step and delta 0', () => {
    expect(verifyTotp(secret, codeAt(0), { time: now })).toEqual({
      ok: true,
      step: currentStep,
      delta: 0,
    });
  });

  it('accepts codes at ±window steps and rejects ±(window + 1)', () => {
    for (const window of [0, 1, 2, 5]) {
      for (const offset of new Set([-window, window])) {
        expect(verifyTotp(secret, codeAt(offset), { time: now, window })).toEqual({
          ok: true,
          step: currentStep + offset,
          delta: offset,
        });
      }
      for (const offset of [-(window + 1), window + 1]) {
        expect(verifyTotp(secret, codeAt(offset), { time: now, window })).toEqual({
          ok: false,
          reason: 'mismatch',
        });
      }
    }
  });

  it('reports a code at or below lastUsedStep as replayed, and accepts a later one', () => {
    const first = verifyTotp(secret, codeAt(0), { time: now });
    expect(first.ok).toBe(true);
    const lastUsedStep = first.ok ? first.step : Number.NaN;
    expect(verifyTotp(secret, codeAt(0), { time: now, lastUsedStep })).toEqual({
      ok: false,
      reason: 'replayed',
    });
    expect(verifyTotp(secret, codeAt(-1), { time: now, lastUsedStep })).toEqual({
      ok: false,
      reason: 'replayed',
    });
    expect(verifyTotp(secret, codeAt(1), { time: now, lastUsedStep })).toEqual({
      ok: true,
      step: currentStep + 1,
      delta: 1,
    });
  });

  it('reports a wrong code as mismatch, not replayed, even below lastUsedStep', () => {
    const wrong = codeAt(0) === '000000' ? '000001' : '000000';
    expect(verifyTotp(secret, wrong, { time: now, lastUsedStep: currentStep + 5 })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('verifies 80-bit (10-byte) legacy secrets', () => {
    const legacy = secret.slice(0, 10);
    expect(verifyTotp(legacy, codeAt(0, legacy), { time: now }).ok).toBe(true);
    expect(() => verifyTotp(secret.slice(0, 9), '123456', { time: now })).toThrow(
      expect.objectContaining({ code: 'INVALID_SECRET' }),
    );
  });

  it('honours period, t0, digits and algorithm', () => {
    const options = { time: now, period: 60, t0: 1_000, digits: 8, algorithm: 'SHA256' } as const;
    const s256 = seed('SHA256');
    const code = totp(s256, options);
    expect(code).toMatch(/^\d{8}$/);
    expect(verifyTotp(s256, code, { ...options, window: 0 })).toEqual({
      ok: true,
      step: Math.floor((now - 1_000) / 60_000),
      delta: 0,
    });
    expect(verifyTotp(s256, code, { ...options, algorithm: 'SHA512', window: 0 }).ok).toBe(false);
  });

  it('does not look at steps before step 0', () => {
    expect(verifyTotp(secret, totp(secret, { time: 0 }), { time: 5_000 })).toEqual({
      ok: true,
      step: 0,
      delta: 0,
    });
  });

  it('keys the HMAC once per verify and computes every window candidate, even after a match', () => {
    const { hmac, calls } = countingHmac();
    const verify = createVerifyTotp(hmac);
    // The earliest candidate matches: an early exit would stop after one MAC.
    expect(verify(secret, codeAt(-2), { time: now, window: 2 }).ok).toBe(true);
    expect(calls).toEqual({ keyed: 1, macs: 5 });
    expect(verify(secret, 'x', { time: now, window: 2 })).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(calls).toEqual({ keyed: 1, macs: 5 });
  });

  it('returns the same answer whichever candidate matched (no early exit changes results)', () => {
    const { hmac, calls } = countingHmac();
    const verify = createVerifyTotp(hmac);
    for (const offset of [-1, 0, 1]) verify(secret, codeAt(offset), { time: now });
    verify(secret, '999999', { time: now });
    expect(calls.macs).toBe(4 * 3);
  });

  it('throws OtpError(INVALID_OPTION) for bad options, not for bad codes', () => {
    const bad = [
      { window: -1 },
      { window: 11 },
      { window: 1.5 },
      { digits: 5 },
      { digits: 9 },
      { period: 0 },
      { period: -30 },
      { time: Number.NaN },
      { time: 10, t0: 20 },
      { lastUsedStep: Number.NaN },
      { algorithm: 'MD5' },
      { time: 1e300 },
    ];
    for (const options of bad) {
      expect(() => verifyTotp(secret, '123456', options as never), JSON.stringify(options)).toThrow(
        expect.objectContaining({ name: 'OtpError', code: 'INVALID_OPTION' }),
      );
    }
  });

  it('treats anything but exactly `digits` ASCII digits as malformed', () => {
    const malformed = [
      '',
      '12345',
      '1234567',
      ' 123456',
      '123456 ',
      '12 456',
      '12345a',
      '１２３４５６',
      '-12345',
      '+12345',
      '1e+05',
      '0x1234',
    ];
    for (const code of malformed) {
      expect(verifyTotp(secret, code, { time: now }), code).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
    for (const code of [null, undefined, 123456, {}, [], Symbol('x'), 10n]) {
      expect(verifyTotp(secret, code as never, { time: now })).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
  });

  it('never throws on the code, for 10,000+ generated strings of every kind', () => {
    const key = generateSecret();
    const anyString = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 64 }),
      fc.string({ unit: 'grapheme', maxLength: 16 }),
      fc.string({ unit: fc.constantFrom(...'0123456789 -+.eE\u0000\u0660\uff10'), maxLength: 12 }),
      fc.stringMatching(/^\d{0,10}$/),
      fc.string({ unit: 'binary', minLength: 1000, maxLength: 5000 }),
    );
    let runs = 0;
    fc.assert(
      fc.property(anyString, (code) => {
        runs++;
        const result = verifyTotp(key, code, { time: now });
        const wellFormed = /^[0-9]{6}$/.test(code);
        if (wellFormed) return result.ok || result.reason === 'mismatch';
        return !result.ok && result.reason === 'malformed';
      }),
      { numRuns: 12_000 },
    );
    expect(runs).toBeGreaterThanOrEqual(10_000);
    // ~3 s alone; more while the other test files share the two cores.
  }, 30_000);
});

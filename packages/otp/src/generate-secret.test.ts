import { describe, expect, it } from 'vitest';
import { generateSecret } from './generate-secret.js';

describe('generateSecret', () => {
  it('returns 20 random bytes by default and the requested length otherwise', () => {
    expect(generateSecret()).toHaveLength(20);
    expect(generateSecret(32)).toHaveLength(32);
    expect(generateSecret(16)).toHaveLength(16);
  });

  it('never repeats (the CSPRNG is used)', () => {
    const seen = new Set(Array.from({ length: 200 }, () => generateSecret().join(',')));
    expect(seen.size).toBe(200);
  });

  it('refuses fewer than 16 bytes and nonsense sizes', () => {
    for (const bytes of [15, 10, 0, -1, 16.5, Number.NaN, 1025]) {
      expect(() => generateSecret(bytes), String(bytes)).toThrow(
        expect.objectContaining({ name: 'OtpError', code: 'INVALID_OPTION' }),
      );
    }
  });
});

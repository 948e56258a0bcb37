import { describe, expect, it } from 'vitest';
import { generateBackupCodes, normalizeBackupCode } from './backup-codes.js';

describe('generateBackupCodes', () => {
  it('makes 10 distinct 10-character codes without look-alike characters by default', () => {
    const codes = generateBackupCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
  });

  it('honours count, length and alphabet', () => {
    const codes = generateBackupCodes(5, { length: 8, alphabet: '0123456789' });
    expect(codes).toHaveLength(5);
    for (const code of codes) expect(code).toMatch(/^\d{8}$/);
  });

  it('draws every symbol of the alphabet with even odds (no modulo bias)', () => {
    // With 129 symbols, `byte % 129` would give the last two symbols half the odds of the
    // others (1/256 instead of 2/256); rejection sampling gives each 1/129.
    const alphabet = Array.from({ length: 129 }, (_, i) => String.fromCharCode(0x4e00 + i)).join(
      '',
    );
    const counts = new Map<string, number>();
    for (const code of generateBackupCodes(1000, { length: 64, alphabet })) {
      for (const symbol of code) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    }
    // Expected 64000 / 129 ≈ 496 each; a biased picker gives ≈ 250 for the last two.
    for (const symbol of alphabet.slice(-2)) expect(counts.get(symbol)).toBeGreaterThan(400);
    expect(counts.size).toBe(129);
  });

  it('returns codes that survive normalisation unchanged', () => {
    for (const code of generateBackupCodes(50)) expect(normalizeBackupCode(code)).toBe(code);
  });

  it('refuses options that would make weak, unmatchable or impossible codes', () => {
    const bad: [number, { length?: number; alphabet?: string }][] = [
      [0, {}],
      [1001, {}],
      [1.5, {}],
      [10, { length: 5 }],
      [10, { length: 65 }],
      [10, { alphabet: 'A' }],
      [10, { alphabet: 'AAB' }],
      [10, { alphabet: 'abc' }],
      [10, { alphabet: 'AB-' }],
      [10, { alphabet: 'AB ' }],
      [1000, { length: 6, alphabet: '01' }],
    ];
    for (const [count, options] of bad) {
      expect(() => generateBackupCodes(count, options), JSON.stringify([count, options])).toThrow(
        expect.objectContaining({ name: 'OtpError', code: 'INVALID_OPTION' }),
      );
    }
  });
});

describe('normalizeBackupCode', () => {
  it('trims, upper-cases and drops spaces and hyphens', () => {
    expect(normalizeBackupCode(' k7pq-2mxz ab ')).toBe('K7PQ2MXZAB');
    expect(normalizeBackupCode('K7PQ\t2MXZ-AB\n')).toBe('K7PQ2MXZAB');
    expect(normalizeBackupCode('')).toBe('');
  });
});

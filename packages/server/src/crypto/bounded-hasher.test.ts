import { describe, expect, it } from 'vitest';
import { boundedHasher, HasherBusyError } from './bounded-hasher.js';
import type { PasswordHasher } from './password-hasher.js';

/** A hasher whose every hash takes `ms`. */
const slowHasher = (ms: number): PasswordHasher => ({
  hash: async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return 'hash';
  },
  verify: async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return true;
  },
});

describe('boundedHasher', () => {
  it('refuses at once what would wait longer than allowed, and serves the rest', async () => {
    const hasher = boundedHasher(slowHasher(40), 1, 200);
    await hasher.hash('learn how long a hash takes');
    const started = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => hasher.verify('pw', 'hash')),
    );
    const refused = results.filter(
      (result) => result.status === 'rejected' && result.reason instanceof HasherBusyError,
    );
    // One runs, ~5 wait (5 × 40 ms = the 200 ms allowed), the rest are refused without waiting.
    expect(refused.length).toBeGreaterThanOrEqual(5);
    expect(results.filter((result) => result.status === 'fulfilled').length).toBeGreaterThanOrEqual(
      5,
    );
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('never refuses cheap hashes, however many queue', async () => {
    const hasher = boundedHasher(slowHasher(0), 1, 200);
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () => hasher.verify('pw', 'hash')),
    );
    expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
  });
});

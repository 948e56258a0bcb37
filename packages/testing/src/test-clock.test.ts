import { describe, expect, it } from 'vitest';
import { TEST_EPOCH, testClock } from './test-clock.js';

describe('testClock', () => {
  it('stands still at the test epoch until moved', () => {
    const clock = testClock();
    expect(clock.now()).toBe(TEST_EPOCH);
    clock.advance(30_000);
    expect(clock.now()).toBe(TEST_EPOCH + 30_000);
    clock.advance(-10_000);
    expect(clock.now()).toBe(TEST_EPOCH + 20_000);
    clock.set(1_000);
    expect(clock.now()).toBe(1_000);
    expect(testClock({ start: 42 }).now()).toBe(42);
  });

  it('follows the real time when asked, plus what it was moved by', () => {
    const clock = testClock({ realTime: true });
    const before = Date.now();
    clock.advance(60_000);
    const now = clock.now();
    expect(now).toBeGreaterThanOrEqual(before + 60_000);
    expect(now).toBeLessThanOrEqual(Date.now() + 60_000);
    clock.set(before - 3_600_000);
    expect(Math.abs(clock.now() - (before - 3_600_000))).toBeLessThan(1_000);
  });
});

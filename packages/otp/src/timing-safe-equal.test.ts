import { describe, expect, it } from 'vitest';
import { timingSafeEqual } from './timing-safe-equal.js';

describe('timingSafeEqual', () => {
  it('compares strings and bytes, in any combination', () => {
    expect(timingSafeEqual('123456', '123456')).toBe(true);
    expect(timingSafeEqual('123456', '123457')).toBe(false);
    expect(timingSafeEqual('café', new TextEncoder().encode('café'))).toBe(true);
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(timingSafeEqual('', '')).toBe(true);
  });

  it('is false for a prefix or a longer value, including trailing zero bytes', () => {
    expect(timingSafeEqual('12345', '123456')).toBe(false);
    expect(timingSafeEqual('123456', '12345')).toBe(false);
    expect(timingSafeEqual(new Uint8Array([1, 0]), new Uint8Array([1]))).toBe(false);
    expect(timingSafeEqual('a\u0000', 'a')).toBe(false);
  });
});

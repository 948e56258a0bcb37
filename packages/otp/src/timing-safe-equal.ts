const encoder = /* @__PURE__ */ new TextEncoder();

function toBytes(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? encoder.encode(value) : value;
}

/**
 * Compares two strings (as UTF-8) or byte arrays in time that depends only on their lengths,
 * not on where they differ. Use it for codes, tokens and hashes; the length itself is not
 * hidden, so compare values of a fixed length (such as hashes) where that matters.
 *
 * @example
 * ```ts
 * import { timingSafeEqual } from '@twofold/otp';
 * timingSafeEqual('ABCD-1234', 'ABCD-1234'); // true
 * timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])); // false
 * ```
 */
export function timingSafeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const left = toBytes(a);
  const right = toBytes(b);
  const length = Math.max(left.length, right.length);
  let diff = left.length ^ right.length;
  for (let i = 0; i < length; i++) {
    diff |= (left[i] ?? 0) ^ (right[i] ?? 0);
  }
  return diff === 0;
}

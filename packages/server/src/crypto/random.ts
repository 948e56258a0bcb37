import { toBase64Url, toHex } from './encoding.js';

export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

/** An opaque identifier such as `user_3f9a…` (16 random bytes, hex). */
export function randomId(prefix: string): string {
  return `${prefix}_${toHex(randomBytes(16))}`;
}

/** A bearer secret: 32 random bytes, base64url without padding (43 characters). */
export function randomToken(): string {
  return toBase64Url(randomBytes(32));
}

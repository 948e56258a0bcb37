import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from './encoding.js';

/**
 * HMAC-SHA-256 under the server pepper, hex: how backup codes and email tokens are stored, so a
 * copy of the database alone does not reveal or let anyone test them offline.
 */
export function keyedHash(pepper: Uint8Array, purpose: string, value: string): string {
  return toHex(hmac(sha256, pepper, utf8.encode(`${purpose}\u0000${value}`)));
}

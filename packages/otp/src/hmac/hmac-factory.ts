import type { HashAlgorithm } from '../types.js';

/**
 * Keys an HMAC once and returns a MAC function for that key. Verification calls the factory
 * once per verify and the returned function once per window candidate, so the keyed state
 * (the ipad/opad blocks) is computed once. The returned bytes may be a reused buffer: read
 * them before the next call.
 */
export type HmacFactory = (
  algorithm: HashAlgorithm,
  key: Uint8Array,
) => (message: Uint8Array) => Uint8Array;

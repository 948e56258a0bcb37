import { createHmac, createSecretKey } from 'node:crypto';
import type { HashAlgorithm } from '../types.js';
import type { HmacFactory } from './hmac-factory.js';

const NODE_NAMES: Record<HashAlgorithm, string> = {
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA512: 'sha512',
};

/** An {@link HmacFactory} on OpenSSL through `node:crypto`; the key is imported once per verify. */
export const nodeHmac: HmacFactory = (algorithm, key) => {
  const name = NODE_NAMES[algorithm];
  const secretKey = createSecretKey(key);
  return (message) => createHmac(name, secretKey).update(message).digest();
};

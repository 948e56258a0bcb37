import { scrypt } from 'node:crypto';
import {
  type PasswordHasher,
  RECOMMENDED_SCRYPT,
  type ScryptFunction,
  type ScryptParameters,
  scryptHasher,
} from '../crypto/password-hasher.js';

/** scrypt through OpenSSL: several times faster than JavaScript and off the event loop. */
export const nodeScrypt: ScryptFunction = (password, salt, { logN, r, p }, keyLength) =>
  new Promise((resolve, reject) => {
    const N = 2 ** logN;
    // OpenSSL refuses unless maxmem covers 128 * N * r bytes (plus a margin).
    const maxmem = 256 * N * r;
    scrypt(password, salt, keyLength, { N, r, p, maxmem }, (error, key) =>
      error ? reject(error) : resolve(new Uint8Array(key)),
    );
  });

/**
 * The password hasher for Node servers: the same PHC strings as the default hasher (each
 * verifies the other's), computed by `node:crypto`.
 *
 * @example
 * ```ts
 * import { nodePasswordHasher } from '@twofold/server/node';
 * const passwordHasher = nodePasswordHasher(); // at RECOMMENDED_SCRYPT
 * const stored = await passwordHasher.hash('correct horse');
 * stored.startsWith('$scrypt$ln=17,r=8,p=1$'); // true
 * await passwordHasher.verify('correct horse', stored); // true
 * // then: createTwofoldServer({ passwordHasher, … })
 * ```
 */
export function nodePasswordHasher(
  parameters: ScryptParameters = RECOMMENDED_SCRYPT,
): PasswordHasher {
  return scryptHasher(nodeScrypt, parameters);
}

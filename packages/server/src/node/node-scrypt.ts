import { scrypt } from 'node:crypto';
import {
  type PasswordHasher,
  RECOMMENDED_SCRYPT,
  type ScryptFunction,
  type ScryptParameters,
  scryptHasher,
  scryptThrough,
} from '../crypto/password-hasher.js';

/** scrypt through OpenSSL: several times faster than JavaScript and off the event loop. */
export const nodeScrypt: ScryptFunction = scryptThrough({ scrypt });

/**
 * The password hasher for Node servers, at a cost of your choice: the same PHC strings as the
 * JavaScript hasher (each verifies the other's), computed by `node:crypto`. A server given no
 * hasher already uses `node:crypto` at the recommended cost where the runtime has it.
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

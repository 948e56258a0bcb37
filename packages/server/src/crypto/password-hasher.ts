import { scryptAsync } from '@noble/hashes/scrypt.js';
import { timingSafeEqual } from '@twofold/otp';
import { fromBase64Url, toBase64Url, utf8 } from './encoding.js';
import { randomBytes } from './random.js';

/** Hashes and checks passwords. Implementations must be slow on purpose (a password KDF). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
}

/** scrypt cost: N = 2^logN, block size r, parallelism p. */
export interface ScryptParameters {
  logN: number;
  r: number;
  p: number;
}

/**
 * OWASP's recommendation for scrypt (N = 2^17, r = 8, p = 1: 128 MiB per hash); the default
 * cost of {@link scryptPasswordHasher} and `nodePasswordHasher`.
 *
 * @example
 * ```ts
 * import { RECOMMENDED_SCRYPT } from '@twofold/server';
 * RECOMMENDED_SCRYPT; // { logN: 17, r: 8, p: 1 }
 * ```
 */
export const RECOMMENDED_SCRYPT: ScryptParameters = { logN: 17, r: 8, p: 1 };

const KEY_LENGTH = 32;
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([\w-]+)\$([\w-]+)$/;

export type ScryptFunction = (
  password: Uint8Array,
  salt: Uint8Array,
  parameters: ScryptParameters,
  keyLength: number,
) => Promise<Uint8Array>;

/**
 * A scrypt {@link PasswordHasher} over any scrypt implementation, storing PHC strings
 * (`$scrypt$ln=17,r=8,p=1$salt$hash`), so the cost can be raised later without breaking old
 * hashes: verification reads the cost from the stored string.
 */
export function scryptHasher(
  scrypt: ScryptFunction,
  parameters: ScryptParameters = RECOMMENDED_SCRYPT,
): PasswordHasher {
  return {
    async hash(password) {
      const salt = randomBytes(16);
      const key = await scrypt(
        utf8.encode(password.normalize('NFKC')),
        salt,
        parameters,
        KEY_LENGTH,
      );
      const { logN, r, p } = parameters;
      return `$scrypt$ln=${logN},r=${r},p=${p}$${toBase64Url(salt)}$${toBase64Url(key)}`;
    },
    async verify(password, stored) {
      const match = PHC.exec(stored);
      if (match === null) return false;
      const [, logN, r, p, salt = '', expected = ''] = match;
      const stored_ = { logN: Number(logN), r: Number(r), p: Number(p) };
      // A corrupted or hostile row must not make the server spend minutes or gigabytes.
      if (stored_.logN > 20 || stored_.r > 16 || stored_.p > 4) return false;
      const key = await scrypt(
        utf8.encode(password.normalize('NFKC')),
        fromBase64Url(salt),
        stored_,
        KEY_LENGTH,
      );
      return timingSafeEqual(key, fromBase64Url(expected));
    },
  };
}

/** scrypt in pure JavaScript (`@noble/hashes`): runs in browsers, workers and edge runtimes. */
export const nobleScrypt: ScryptFunction = (password, salt, { logN, r, p }, dkLen) =>
  scryptAsync(password, salt, { N: 2 ** logN, r, p, dkLen, maxmem: 2 ** 31 });

/**
 * The default, isomorphic password hasher: scrypt in JavaScript (`@noble/hashes`), at the
 * recommended cost unless told otherwise. A lower cost is for tests, mocks and development only.
 *
 * @example
 * ```ts
 * import { scryptPasswordHasher } from '@twofold/server';
 * const hasher = scryptPasswordHasher({ logN: 8, r: 8, p: 1 }); // cheap: tests only
 * const stored = await hasher.hash('correct horse');
 * stored.startsWith('$scrypt$ln=8,r=8,p=1$'); // true
 * await hasher.verify('correct horse', stored); // true
 * ```
 */
export function scryptPasswordHasher(
  parameters: ScryptParameters = RECOMMENDED_SCRYPT,
): PasswordHasher {
  return scryptHasher(nobleScrypt, parameters);
}

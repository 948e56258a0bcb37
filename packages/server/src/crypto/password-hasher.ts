import { scryptAsync } from '@noble/hashes/scrypt.js';
import { timingSafeEqual } from '@twofold/otp';
import { runtimeBuiltin } from '../runtime-builtin.js';
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

/** The part of `node:crypto` scrypt needs. */
export interface NodeCryptoScrypt {
  scrypt(
    password: Uint8Array,
    salt: Uint8Array,
    keyLength: number,
    options: { N: number; r: number; p: number; maxmem: number },
    callback: (error: Error | null, key: Uint8Array) => void,
  ): void;
}

/** scrypt through `node:crypto` (OpenSSL): several times faster, and on the libuv pool. */
export function scryptThrough(crypto: NodeCryptoScrypt): ScryptFunction {
  return (password, salt, { logN, r, p }, keyLength) =>
    new Promise((resolve, reject) => {
      const N = 2 ** logN;
      // OpenSSL refuses unless maxmem covers 128 * N * r bytes (plus a margin).
      const maxmem = 256 * N * r;
      crypto.scrypt(password, salt, keyLength, { N, r, p, maxmem }, (error, key) =>
        error ? reject(error) : resolve(new Uint8Array(key)),
      );
    });
}

/**
 * The server's hasher when none is given, at the recommended cost: `node:crypto`'s scrypt
 * where the runtime has it, so a login never stalls other requests (a hash at N=2^17 takes
 * ~0.3 s of CPU); noble's in JavaScript elsewhere (browsers, where the mock runs). Both store
 * the same PHC strings.
 */
export function defaultPasswordHasher(): PasswordHasher {
  const crypto = runtimeBuiltin<NodeCryptoScrypt>('node:crypto');
  return crypto === undefined ? scryptPasswordHasher() : scryptHasher(scryptThrough(crypto));
}

/** scrypt in pure JavaScript (`@noble/hashes`): runs in browsers, workers and edge runtimes. */
export const nobleScrypt: ScryptFunction = (password, salt, { logN, r, p }, dkLen) =>
  scryptAsync(password, salt, { N: 2 ** logN, r, p, dkLen, maxmem: 2 ** 31 });

/**
 * The isomorphic password hasher: scrypt in JavaScript (`@noble/hashes`), at the recommended
 * cost unless told otherwise (the server's default outside Node, Bun and Deno). It runs on the
 * calling thread. A lower cost is for tests, mocks and development only.
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

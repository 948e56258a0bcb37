import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HashAlgorithm } from '../src/types.js';

/** The RFC 4226 / RFC 6238 vectors, read from the one shared copy beside the repository. */
export interface OtpVectors {
  hotp_rfc4226: {
    secret: { ascii: string; hex: string; base32: string };
    vectors: { counter: number; hotp: string; truncated_dec: number }[];
  };
  totp_rfc6238: {
    t0: number;
    period: number;
    digits: number;
    seeds: Record<HashAlgorithm, { ascii: string; hex: string; base32: string; bytes: number }>;
    vectors: {
      time: number;
      time_ms: number;
      t: number;
      algorithm: HashAlgorithm;
      totp: string;
      totp_6_digits_derived: string;
    }[];
  };
}

const sharedDir =
  process.env.TWOFOLD_SHARED_DIR ?? fileURLToPath(new URL('../../../../shared', import.meta.url));
const vectorsPath = `${sharedDir}/vectors/otp-vectors.json`;

if (!existsSync(vectorsPath)) {
  throw new Error(
    `RFC test vectors not found at ${vectorsPath}: clone the repository next to shared/ or set TWOFOLD_SHARED_DIR`,
  );
}

export const vectors: OtpVectors = JSON.parse(readFileSync(vectorsPath, 'utf8'));

export function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

export function seed(algorithm: HashAlgorithm): Uint8Array {
  return hexToBytes(vectors.totp_rfc6238.seeds[algorithm].hex);
}

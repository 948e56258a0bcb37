import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { TwofoldConfigError } from '../config-error.js';
import { utf8 } from './encoding.js';
import { SealingKeys } from './sealing-keys.js';

/** The independent keys the server derives from its two configured secrets. */
export interface ServerKeys {
  /** HS256 key for access and refresh tokens. */
  jwt: Uint8Array;
  /** HMAC-SHA-256 pepper for backup codes and email tokens at rest. */
  pepper: Uint8Array;
  /** AES-256-GCM keys for TOTP secrets at rest: the current one, and previous ones to open with. */
  encryption: SealingKeys;
}

const MIN_KEY_MATERIAL_BYTES = 32;

/** The configured key as bytes; throws when it is too short to be a key. */
export function keyMaterial(value: string | Uint8Array, name: string): Uint8Array {
  const bytes = typeof value === 'string' ? utf8.encode(value) : value;
  if (!(bytes instanceof Uint8Array) || bytes.length < MIN_KEY_MATERIAL_BYTES) {
    throw new TwofoldConfigError(
      name,
      `must be at least ${MIN_KEY_MATERIAL_BYTES} bytes of random key material`,
    );
  }
  return bytes;
}

/**
 * Derives separate keys with HKDF-SHA-256, so one leaked purpose key (say, the JWT key in a
 * debugging session) tells nothing about the others.
 */
export async function deriveServerKeys(
  master: Uint8Array,
  sealing: Uint8Array,
  previousSealing: readonly Uint8Array[] = [],
): Promise<ServerKeys> {
  const derive = (ikm: Uint8Array, info: string) =>
    hkdf(sha256, ikm, undefined, utf8.encode(info), 32);
  const aesKey = (material: Uint8Array) =>
    crypto.subtle.importKey(
      'raw',
      derive(material, 'twofold/v1/aes-256-gcm') as Uint8Array<ArrayBuffer>,
      'AES-GCM',
      false,
      ['encrypt', 'decrypt'],
    );
  return {
    jwt: derive(master, 'twofold/v1/jwt-hs256'),
    pepper: derive(master, 'twofold/v1/pepper'),
    encryption: new SealingKeys(
      await aesKey(sealing),
      await Promise.all(previousSealing.map(aesKey)),
    ),
  };
}

import { fromBase64Url, toBase64Url, utf8 } from './encoding.js';
import { randomBytes } from './random.js';

/**
 * Seals bytes with AES-256-GCM (WebCrypto): `v1.<iv>.<ciphertext+tag>` in base64url. The
 * `context` (a user id) is authenticated data, so a sealed secret copied to another user's
 * record does not open.
 */
export async function seal(
  key: CryptoKey,
  plaintext: Uint8Array,
  context: string,
): Promise<string> {
  const iv = randomBytes(12);
  const sealed = await crypto.subtle.encrypt(
    {
      name: 'AES-GCM',
      iv: iv as Uint8Array<ArrayBuffer>,
      additionalData: utf8.encode(context) as Uint8Array<ArrayBuffer>,
    },
    key,
    plaintext as Uint8Array<ArrayBuffer>,
  );
  return `v1.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
}

/** Opens what {@link seal} produced; throws when the key, context or bytes do not match. */
export async function open(key: CryptoKey, box: string, context: string): Promise<Uint8Array> {
  const [version, iv, data] = box.split('.');
  if (version !== 'v1' || iv === undefined || data === undefined) {
    throw new Error('sealed value has an unknown format');
  }
  const plain = await crypto.subtle.decrypt(
    {
      name: 'AES-GCM',
      iv: fromBase64Url(iv) as Uint8Array<ArrayBuffer>,
      additionalData: utf8.encode(context) as Uint8Array<ArrayBuffer>,
    },
    key,
    fromBase64Url(data) as Uint8Array<ArrayBuffer>,
  );
  return new Uint8Array(plain);
}

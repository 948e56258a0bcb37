import type { Bytes } from './bytes.js';
import { encodeCbor } from './cbor.js';
import { rawToDerSignature } from './der-signature.js';

// The credential key: an ES256 (ECDSA P-256, SHA-256) pair made by WebCrypto. The private key
// is not extractable; the public key is exported as a COSE_Key (what authenticator data and a
// server carry) and as SPKI (what `response.publicKey` carries).

/** COSE algorithm identifier of ES256. */
export const ES256 = -7;

export interface CredentialKey {
  privateKey: CryptoKey;
  /** COSE_Key, EC2 (kty 2), alg -7, crv P-256 (1). */
  cose: Uint8Array;
  /** SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
}

export async function generateCredentialKey(): Promise<CredentialKey> {
  const { subtle } = globalThis.crypto;
  const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  // Uncompressed point: 0x04 || x (32) || y (32).
  const raw = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
  const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
  // Keys in CTAP2 canonical order: 1, 3, -1, -2, -3.
  const cose = encodeCbor(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, ES256],
      [-1, 1],
      [-2, raw.slice(1, 33)],
      [-3, raw.slice(33, 65)],
    ]),
  );
  return { privateKey: pair.privateKey, cose, spki };
}

/** An ES256 signature over `data`, DER-encoded as WebAuthn wants it. */
export async function signEs256(privateKey: CryptoKey, data: Bytes): Promise<Bytes> {
  const raw = await globalThis.crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    privateKey,
    data,
  );
  return rawToDerSignature(new Uint8Array(raw));
}

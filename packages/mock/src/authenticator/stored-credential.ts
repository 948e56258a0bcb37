import { toBase64url } from './base64url.js';
import { type CredentialKey, generateCredentialKey } from './key-pair.js';
import type { SoftwareCredential } from './types.js';

/** A credential as the authenticator keeps it: the public view plus its key. */
export interface StoredCredential extends SoftwareCredential {
  idBytes: Uint8Array;
  key: CredentialKey;
}

/** A new discoverable ES256 credential with a random 16-byte id and counter 0. */
export async function newCredential(rpId: string, userHandle: string): Promise<StoredCredential> {
  const idBytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const key = await generateCredentialKey();
  return {
    id: toBase64url(idBytes),
    idBytes,
    rpId,
    userHandle,
    counter: 0,
    publicKey: toBase64url(key.cose),
    key,
  };
}

/** What callers see: a copy without the key, so they cannot change the authenticator's state. */
export const publicView = ({
  id,
  rpId,
  userHandle,
  counter,
  publicKey,
}: StoredCredential): SoftwareCredential => ({ id, rpId, userHandle, counter, publicKey });

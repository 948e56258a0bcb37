import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { TwofoldConfigError } from '../config-error.js';
import { type Store, updateWithRetry } from '../store/store.js';
import { utf8 } from './encoding.js';

/** Where the store keeps the key check values of the deployment's keys. */
export const KEY_CHECK_KEY = 'server:key-check';

/** What the store keeps: one check value per configured key, never a key. */
interface KeyCheck {
  secret: string;
  encryptionKey: string;
}

/**
 * A check value of key material: 16 bytes of HKDF-SHA-256 under a label no other use shares.
 * Equal keys give equal values; the value tells nothing about the key.
 */
export function keyCheckValue(material: Uint8Array): string {
  return bytesToHex(hkdf(sha256, material, undefined, utf8.encode('twofold/v1/key-check'), 16));
}

const MISMATCH =
  'does not match the key this store was first used with (the key check value kept in the store differs): every server sharing a store needs the same secret and encryptionKey, or tokens, backup codes and TOTP secrets stop verifying. Refusing to start; to rotate the encryption key, give the old one in previousEncryptionKeys';

/**
 * Issue 14 item 5: a server started with keys other than the ones its store was first used with
 * must not start, since it would burn login challenges, count genuine backup codes as failures
 * and lock users out on every instance. The first server to start records the check values;
 * later ones compare. A rotation — the current encryption key new, the recorded one among the
 * previous keys — is accepted, and the record moves to the new key.
 */
export async function checkKeys(
  store: Store,
  secret: Uint8Array,
  encryptionKey: Uint8Array,
  previousEncryptionKeys: readonly Uint8Array[],
): Promise<void> {
  const ours: KeyCheck = {
    secret: keyCheckValue(secret),
    encryptionKey: keyCheckValue(encryptionKey),
  };
  const previous = new Set(previousEncryptionKeys.map(keyCheckValue));
  await updateWithRetry<KeyCheck, void>(store, KEY_CHECK_KEY, (entry) => {
    if (entry === undefined) return { write: ours, result: undefined };
    const recorded = entry.value;
    if (recorded.secret !== ours.secret) throw new TwofoldConfigError('secret', MISMATCH);
    if (recorded.encryptionKey === ours.encryptionKey) return { result: undefined };
    if (!previous.has(recorded.encryptionKey)) {
      throw new TwofoldConfigError('encryptionKey', MISMATCH);
    }
    return { write: ours, result: undefined };
  });
}

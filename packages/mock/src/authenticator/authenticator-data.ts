import { type Bytes, concatBytes, sha256, utf8 } from './bytes.js';

// Authenticator data (WebAuthn §6.1): rpIdHash (32) | flags (1) | signCount (4, big-endian)
// | attested credential data on registration: aaguid (16) | credentialIdLength (2) |
// credentialId | credentialPublicKey (COSE).

/** The flag bits of WebAuthn §6.1. */
export const FLAGS = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 } as const;

export interface AuthenticatorDataInput {
  rpId: string;
  userPresent: boolean;
  userVerified: boolean;
  backupEligible: boolean;
  backedUp: boolean;
  counter: number;
  /** Present on registration only. */
  attested?: { aaguid: Uint8Array; credentialId: Uint8Array; cosePublicKey: Uint8Array };
}

export async function authenticatorData(input: AuthenticatorDataInput): Promise<Bytes> {
  const flags =
    (input.userPresent ? FLAGS.UP : 0) |
    (input.userVerified ? FLAGS.UV : 0) |
    (input.backupEligible ? FLAGS.BE : 0) |
    (input.backedUp ? FLAGS.BS : 0) |
    (input.attested ? FLAGS.AT : 0);
  const header = new Uint8Array(5);
  header[0] = flags;
  new DataView(header.buffer).setUint32(1, input.counter);
  const parts: Uint8Array[] = [await sha256(utf8(input.rpId)), header];
  if (input.attested) {
    const { aaguid, credentialId, cosePublicKey } = input.attested;
    const length = Uint8Array.of(credentialId.length >> 8, credentialId.length & 0xff);
    parts.push(aaguid, length, credentialId, cosePublicKey);
  }
  return concatBytes(...parts);
}

/** The 16 bytes of a UUID string such as `'adce0002-35bc-c60a-648b-0b25f1f05503'`. */
export function aaguidBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`aaguid must be a UUID, got ${uuid}`);
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

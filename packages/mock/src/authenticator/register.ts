import { authenticatorData } from './authenticator-data.js';
import { toBase64url } from './base64url.js';
import { concatBytes, sha256 } from './bytes.js';
import { encodeCbor } from './cbor.js';
import { clientDataJSON } from './client-data.js';
import { invalidState, notSupported } from './dom-errors.js';
import { ES256, signEs256 } from './key-pair.js';
import { defaultRpId, type Settings } from './settings.js';
import { newCredential, type StoredCredential } from './stored-credential.js';
import type { RegistrationOptionsInput, SoftwareRegistrationResponse } from './types.js';

/**
 * `navigator.credentials.create()` with this authenticator: the new credential (not yet
 * stored) and the browser's JSON answer.
 */
export async function register(
  settings: Settings,
  origin: string,
  credentials: readonly StoredCredential[],
  options: RegistrationOptionsInput,
): Promise<{ credential: StoredCredential; response: SoftwareRegistrationResponse }> {
  // An empty list means the browser's default, which includes ES256 (WebAuthn §5.1.3 step 10).
  const params = options.pubKeyCredParams;
  if (params.length > 0 && !params.some((p) => p.type === 'public-key' && p.alg === ES256)) {
    throw notSupported();
  }
  const rpId = options.rp.id ?? defaultRpId(origin);
  const excluded = new Set((options.excludeCredentials ?? []).map((descriptor) => descriptor.id));
  if (credentials.some((held) => held.rpId === rpId && excluded.has(held.id))) {
    throw invalidState();
  }

  const credential = await newCredential(rpId, options.user.id);
  const clientData = clientDataJSON('webauthn.create', options.challenge, origin);
  const authData = await authenticatorData({
    ...settings,
    rpId: settings.rpIdOverride ?? rpId,
    counter: credential.counter,
    attested: {
      aaguid: settings.aaguid,
      credentialId: credential.idBytes,
      cosePublicKey: credential.key.cose,
    },
  });
  // Packed self attestation (WebAuthn §8.2): alg and a signature by the credential key itself.
  const attStmt =
    settings.attestation === 'packed'
      ? {
          alg: ES256,
          sig: await signEs256(
            credential.key.privateKey,
            concatBytes(authData, await sha256(clientData)),
          ),
        }
      : {};
  const attestationObject = encodeCbor({ fmt: settings.attestation, attStmt, authData });
  return {
    credential,
    response: {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: toBase64url(clientData),
        attestationObject: toBase64url(attestationObject),
        authenticatorData: toBase64url(authData),
        transports: [...settings.transports],
        publicKeyAlgorithm: ES256,
        publicKey: toBase64url(credential.key.spki),
      },
    },
  };
}

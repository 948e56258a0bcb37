import { authenticatorData } from './authenticator-data.js';
import { toBase64url } from './base64url.js';
import { concatBytes, sha256 } from './bytes.js';
import { clientDataJSON } from './client-data.js';
import { notAllowed } from './dom-errors.js';
import { signEs256 } from './key-pair.js';
import { defaultRpId, type Settings } from './settings.js';
import type { StoredCredential } from './stored-credential.js';
import type { AuthenticationOptionsInput, SoftwareAuthenticationResponse } from './types.js';

/**
 * The credential a platform authenticator would use: the first of its own that
 * `allowCredentials` lists, or, when the list is empty (a discoverable-credential login), the
 * most recent one for the RP.
 */
export function pickCredential(
  credentials: readonly StoredCredential[],
  rpId: string,
  options: AuthenticationOptionsInput,
): StoredCredential | undefined {
  const forRp = credentials.filter((held) => held.rpId === rpId);
  const allowed = options.allowCredentials ?? [];
  if (allowed.length === 0) return forRp.at(-1);
  for (const descriptor of allowed) {
    const held = forRp.find((candidate) => candidate.id === descriptor.id);
    if (held) return held;
  }
  return undefined;
}

/** `navigator.credentials.get()` with this authenticator: the browser's JSON answer. */
export async function authenticate(
  settings: Settings,
  origin: string,
  credentials: readonly StoredCredential[],
  options: AuthenticationOptionsInput,
): Promise<SoftwareAuthenticationResponse> {
  const rpId = options.rpId ?? defaultRpId(origin);
  const credential = pickCredential(credentials, rpId, options);
  // A browser shows the same error whether no credential matched or the user declined, so a
  // page cannot probe which credentials exist.
  if (credential === undefined) throw notAllowed();

  // Taken before the first await, so concurrent assertions get distinct counters, as the
  // ones of a real authenticator do.
  credential.counter += 1;
  const counter = credential.counter;
  const clientData = clientDataJSON('webauthn.get', options.challenge, origin);
  const authData = await authenticatorData({
    ...settings,
    rpId: settings.rpIdOverride ?? rpId,
    counter,
  });
  const signature = await signEs256(
    credential.key.privateKey,
    concatBytes(authData, await sha256(clientData)),
  );
  return {
    id: credential.id,
    rawId: credential.id,
    type: 'public-key',
    authenticatorAttachment: 'platform',
    clientExtensionResults: {},
    response: {
      clientDataJSON: toBase64url(clientData),
      authenticatorData: toBase64url(authData),
      signature: toBase64url(signature),
      userHandle: credential.userHandle,
    },
  };
}

import { authenticate } from './authenticate.js';
import { notAllowed } from './dom-errors.js';
import { register } from './register.js';
import { resolveSettings } from './settings.js';
import { newCredential, publicView, type StoredCredential } from './stored-credential.js';
import type { SoftwareAuthenticator, SoftwareAuthenticatorOptions } from './types.js';

/**
 * A software WebAuthn authenticator making real ES256 registration and authentication
 * responses (the JSON `@simplewebauthn/browser` hands a server), for tests in Node and in the
 * browser. Credentials are discoverable; keys live in WebCrypto and never leave it.
 *
 * @example
 * ```ts
 * import { createSoftwareAuthenticator } from '@twofold/mock/authenticator';
 * const authenticator = createSoftwareAuthenticator({ origin: 'http://localhost:5173' });
 * const registration = await authenticator.register({
 *   rp: { name: 'Twofold demo', id: 'localhost' },
 *   user: { id: 'dXNlci0x', name: 'ada', displayName: 'Ada' },
 *   challenge: 'cmVnaXN0ZXItY2hhbGxlbmdl',
 *   pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
 * });
 * registration.id === registration.rawId; // true
 * registration.response.publicKeyAlgorithm; // -7
 * const assertion = await authenticator.authenticate({ challenge: 'bG9naW4', rpId: 'localhost' });
 * assertion.id === registration.id; // true
 * assertion.response.userHandle; // 'dXNlci0x'
 * authenticator.credentials[0]?.counter; // 1
 * ```
 *
 * @example
 * ```ts
 * // The answers verify with @simplewebauthn/server as a browser's do:
 * import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
 * import { createSoftwareAuthenticator } from '@twofold/mock/authenticator';
 * const authenticator = createSoftwareAuthenticator({ origin: 'http://localhost:5173' });
 * const options = await generateRegistrationOptions({ rpName: 'Demo', rpID: 'localhost', userName: 'ada' });
 * const response = await authenticator.register(options);
 * const { verified } = await verifyRegistrationResponse({
 *   response,
 *   expectedChallenge: options.challenge,
 *   expectedOrigin: 'http://localhost:5173',
 *   expectedRPID: 'localhost',
 * });
 * verified; // true
 * ```
 */
export function createSoftwareAuthenticator(
  options: SoftwareAuthenticatorOptions,
): SoftwareAuthenticator {
  const settings = resolveSettings(options);
  const credentials: StoredCredential[] = [];
  let cancelPending = false;

  /** A pending `cancelNext()` is spent by the very next ceremony. */
  const takeCancel = (): boolean => {
    const pending = cancelPending;
    cancelPending = false;
    return pending;
  };

  const authenticator: SoftwareAuthenticator = {
    origin: options.origin,

    async register(creationOptions) {
      if (takeCancel()) throw notAllowed();
      const { credential, response } = await register(
        settings,
        authenticator.origin,
        credentials,
        creationOptions,
      );
      credentials.push(credential);
      return response;
    },

    async authenticate(requestOptions) {
      if (takeCancel()) throw notAllowed();
      return authenticate(settings, authenticator.origin, credentials, requestOptions);
    },

    async createCredential({ rpId, userHandle }) {
      const credential = await newCredential(rpId, userHandle);
      credentials.push(credential);
      return publicView(credential);
    },

    get credentials() {
      return credentials.map(publicView);
    },

    setCounter(credentialId, counter) {
      if (!Number.isInteger(counter) || counter < 0 || counter > 0xffffffff) {
        throw new RangeError(`a sign counter is a 32-bit unsigned integer, got ${counter}`);
      }
      const credential = credentials.find((held) => held.id === credentialId);
      if (credential === undefined) throw new Error(`no credential ${credentialId}`);
      credential.counter = counter;
    },

    cancelNext() {
      cancelPending = true;
    },
  };
  return authenticator;
}

import {
  browserSupportsWebAuthn,
  platformAuthenticatorIsAvailable,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
} from '@simplewebauthn/browser';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@twofold/contract';

/**
 * What runs the WebAuthn ceremonies: the browser's `navigator.credentials` by default, or one
 * given to `passkeys()` in its place — the software authenticator of `@twofold/mock/authenticator`
 * in tests and Node, a native bridge in an app shell. It rejects the way a browser does (a
 * `DOMException` named `NotAllowedError`, `InvalidStateError`, …), and the SDK maps that alike.
 *
 * @example
 * ```ts
 * // In tests, or in Node: the software authenticator in the browser's place.
 * import { createClient } from '@twofold/client';
 * import { passkeys } from '@twofold/client/webauthn';
 * import { createSoftwareAuthenticator } from '@twofold/mock/authenticator';
 * const client = createClient({ baseUrl: 'https://auth.example.com' });
 * await client.auth.login({ username: 'bob', password: 'correct horse battery staple' });
 * const authenticator = createSoftwareAuthenticator({ origin: 'https://auth.example.com' });
 * const keys = passkeys(client, { authenticator });
 * await keys.register({ name: 'CI' });
 * authenticator.cancelNext(); // the next prompt is dismissed, as a user would
 * const error = await keys.register({ password: 'correct horse battery staple' }).catch((e) => e);
 * error.code; // 'PASSKEY_CANCELLED'
 * ```
 */
export interface PasskeyAuthenticator {
  /** `navigator.credentials.create()` with the server's options, as WebAuthn JSON. */
  register(options: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON>;
  /** `navigator.credentials.get()` with the login challenge's options, as WebAuthn JSON. */
  authenticate(options: PublicKeyCredentialRequestOptionsJSON): Promise<AuthenticationResponseJSON>;
  /** Whether it is built into the device (Touch ID, Windows Hello, …); default false. */
  isPlatformAuthenticatorAvailable?(): Promise<boolean>;
}

/** The browser's authenticators, through SimpleWebAuthn (base64url ⇄ ArrayBuffer, error hints). */
export interface BrowserAuthenticator extends PasskeyAuthenticator {
  supported(): boolean;
  /** Closes the prompt of the ceremony under way. */
  cancel(): void;
}

export const browserAuthenticator: BrowserAuthenticator = {
  // The contract's JSON shapes are the standard ones SimpleWebAuthn reads and writes; the casts
  // only bridge optional members typed `T | undefined` (valibot) against `T` and the
  // extension outputs' interface against the contract's record.
  register: (optionsJSON) =>
    startRegistration({ optionsJSON: optionsJSON as never }) as Promise<RegistrationResponseJSON>,
  authenticate: (optionsJSON) =>
    startAuthentication({
      optionsJSON: optionsJSON as never,
    }) as Promise<AuthenticationResponseJSON>,
  isPlatformAuthenticatorAvailable: platformAuthenticatorIsAvailable,
  supported: browserSupportsWebAuthn,
  cancel: () => WebAuthnAbortService.cancelCeremony(),
};

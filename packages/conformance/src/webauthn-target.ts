import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@twofold/contract';

/** How the passkey checks ask for a software authenticator (see {@link PasskeyAuthenticator}). */
export interface PasskeyAuthenticatorOptions {
  /** The origin written into clientDataJSON. */
  origin: string;
  /** The AAGUID written into the attested credential data. */
  aaguid?: string;
  /** The UV flag (default true). */
  userVerified?: boolean;
  /** Hash this RP ID into authenticatorData instead of the options' one. */
  rpIdOverride?: string;
}

/**
 * A software WebAuthn authenticator making real responses, as the passkey checks drive it: the
 * shape of `createSoftwareAuthenticator` from `@twofold/mock/authenticator`. The suite does not
 * import it (the conformance package depends on no server or mock code): the target supplies
 * the factory.
 */
export interface PasskeyAuthenticator {
  /** Written into clientDataJSON of the next ceremonies. */
  origin: string;
  /** `navigator.credentials.create()`: a new credential and the browser's JSON answer. */
  register(options: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON>;
  /** `navigator.credentials.get()`: an assertion by a credential `allowCredentials` lists. */
  authenticate(options: PublicKeyCredentialRequestOptionsJSON): Promise<AuthenticationResponseJSON>;
  /** Its credentials, oldest first, with their current sign counters. */
  readonly credentials: readonly { id: string; counter: number }[];
  /** Sets a credential's sign counter (a cloned authenticator's). */
  setCounter(credentialId: string, counter: number): void;
}

/** Makes a fresh authenticator (no credentials) with the given settings. */
export type AuthenticatorFactory = (options: PasskeyAuthenticatorOptions) => PasskeyAuthenticator;

/**
 * How the target's passkeys (spec §5) are configured, so the passkey checks know what a
 * correct response is made for and which refusals to expect. Without it they are "not
 * applicable".
 */
export interface WebAuthnTarget {
  /** An origin the target accepts, e.g. `http://localhost:5173`. */
  origin: string;
  /** The target's relying party id, e.g. `localhost`. */
  rpId: string;
  /** `'required'` enables the check that an unverified user is refused. */
  userVerification: 'required' | 'preferred';
  /** An AAGUID the target's policy accepts: every authenticator of the suite claims it. */
  allowedAaguid?: string;
  /** An AAGUID the target's policy refuses: enables the policy check. */
  refusedAaguid?: string;
  /** The software authenticator, e.g. `createSoftwareAuthenticator` of `@twofold/mock/authenticator`. */
  authenticator?: AuthenticatorFactory;
}

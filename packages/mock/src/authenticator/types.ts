import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@twofold/contract';

/**
 * How a software authenticator answers: its origin, attestation, AAGUID, flags and transports.
 *
 * @example
 * ```ts
 * import { createSoftwareAuthenticator } from '@twofold/mock/authenticator';
 * // A synced passkey (BE and BS set) with packed self attestation and a made-up AAGUID:
 * const authenticator = createSoftwareAuthenticator({
 *   origin: 'http://localhost:5173',
 *   attestation: 'packed',
 *   aaguid: 'adce0002-35bc-c60a-648b-0b25f1f05503',
 *   backupEligible: true,
 *   backedUp: true,
 *   transports: ['internal', 'hybrid'],
 * });
 * const registration = await authenticator.register({
 *   rp: { name: 'Twofold demo' }, // no id: the origin's hostname, 'localhost'
 *   user: { id: 'dXNlci0x', name: 'ada', displayName: 'Ada' },
 *   challenge: 'cmVnaXN0ZXItY2hhbGxlbmdl',
 *   pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
 * });
 * registration.response.transports; // ['internal', 'hybrid']
 * authenticator.credentials[0]?.rpId; // 'localhost'
 * ```
 */
export interface SoftwareAuthenticatorOptions {
  /**
   * Origin written into clientDataJSON, e.g. 'http://localhost:5173'. Required. Mutable later
   * via `authenticator.origin = …`. Unlike a browser, the authenticator does not check that the
   * RP ID suits the origin, so a test can show a server a wrong origin.
   */
  origin: string;
  /** 'none' (default) or 'packed' self attestation (signature by the credential key, no x5c). */
  attestation?: 'none' | 'packed';
  /** AAGUID (UUID string) written in attested credential data; default all zeros. */
  aaguid?: string;
  /**
   * UV flag (default true). UP is always set unless `userPresent: false`. The options'
   * `userVerification` is not consulted: the flags are what these settings say, so a test can
   * show a server an unverified user.
   */
  userVerified?: boolean;
  userPresent?: boolean;
  /** BE and BS flags (default false). */
  backupEligible?: boolean;
  backedUp?: boolean;
  /** Transports reported on registration; default ['internal']. */
  transports?: string[];
  /** Hash this RP ID into authenticatorData instead of the options' one (to test a wrong rpId hash). */
  rpIdOverride?: string;
}

/**
 * A credential the authenticator holds, as a server would store it (a snapshot: reading
 * `authenticator.credentials` again shows later counters).
 *
 * @example
 * ```ts
 * import { createSoftwareAuthenticator } from '@twofold/mock/authenticator';
 * const authenticator = createSoftwareAuthenticator({ origin: 'https://example.com' });
 * const credential = await authenticator.createCredential({ rpId: 'example.com', userHandle: 'dXNlci0x' });
 * credential.counter; // 0
 * credential.userHandle; // 'dXNlci0x'
 * /^[A-Za-z0-9_-]{22,}$/.test(credential.id); // true
 * // The COSE key starts with a CBOR map of 5 entries (0xa5): kty, alg, crv, x, y.
 * credential.publicKey.startsWith('pQ'); // true
 * ```
 */
export interface SoftwareCredential {
  /** base64url credential id (16 random bytes). */
  id: string;
  rpId: string;
  /** base64url, from options.user.id. */
  userHandle: string;
  /** Current sign counter; 0 after registration, +1 per assertion. */
  counter: number;
  /** base64url COSE_Key (EC2, alg -7): exactly what a server stores. */
  publicKey: string;
}

/**
 * A software WebAuthn authenticator (a platform authenticator with discoverable ES256
 * credentials) together with the browser's part: it makes the `navigator.credentials`
 * answers, in their JSON form, for the origin it is given.
 *
 * @example
 * ```ts
 * import { createSoftwareAuthenticator } from '@twofold/mock/authenticator';
 * const authenticator = createSoftwareAuthenticator({ origin: 'https://example.com' });
 * const credential = await authenticator.createCredential({ rpId: 'example.com', userHandle: 'dXNlci0x' });
 * await authenticator.authenticate({ challenge: 'Y2hhbGxlbmdl' });
 * authenticator.credentials[0]?.counter; // 1
 * authenticator.setCounter(credential.id, 0); // a cloned key's counter
 * authenticator.credentials[0]?.counter; // 0
 * authenticator.cancelNext();
 * const error = await authenticator.authenticate({ challenge: 'Y2hhbGxlbmdl' }).catch((e) => e);
 * error.name; // 'NotAllowedError'
 * ```
 */
export interface SoftwareAuthenticator {
  /** Written into clientDataJSON of the next ceremonies. */
  origin: string;
  /**
   * `navigator.credentials.create()`: a new discoverable credential for `options.rp.id` (or the
   * origin's hostname). Rejects with a DOMException `InvalidStateError` when
   * `excludeCredentials` names one of its credentials for that RP, `NotSupportedError` when
   * `pubKeyCredParams` lacks ES256 (-7).
   */
  register(
    options: PublicKeyCredentialCreationOptionsJSON | RegistrationOptionsInput,
  ): Promise<SoftwareRegistrationResponse>;
  /**
   * `navigator.credentials.get()`: an assertion by the first of its credentials for the RP
   * that `allowCredentials` lists, or, when it lists none, by the most recent one. Rejects
   * with a DOMException `NotAllowedError` when it has no such credential.
   */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON | AuthenticationOptionsInput,
  ): Promise<SoftwareAuthenticationResponse>;
  /** A credential for rpId/userHandle made without a ceremony (to seed a server/mock directly). */
  createCredential(input: { rpId: string; userHandle: string }): Promise<SoftwareCredential>;
  /** Its credentials, oldest first (snapshots). */
  readonly credentials: readonly SoftwareCredential[];
  /** Sets a credential's sign counter (e.g. back to 0, to test clone detection). */
  setCounter(credentialId: string, counter: number): void;
  /** The next register/authenticate fails as a user cancelling does in a browser: DOMException 'NotAllowedError'. */
  cancelNext(): void;
}

/**
 * A credential named in `excludeCredentials` or `allowCredentials`, as far as it is read.
 *
 * @example
 * ```ts
 * import { createSoftwareAuthenticator, type CredentialDescriptorInput } from '@twofold/mock/authenticator';
 * const authenticator = createSoftwareAuthenticator({ origin: 'https://example.com' });
 * const { id } = await authenticator.createCredential({ rpId: 'example.com', userHandle: 'dXNlci0x' });
 * const allowed: CredentialDescriptorInput = { id, type: 'public-key' };
 * const assertion = await authenticator.authenticate({ challenge: 'Y2hhbGxlbmdl', allowCredentials: [allowed] });
 * assertion.id === id; // true
 * ```
 */
export interface CredentialDescriptorInput {
  id: string;
  type: string;
  transports?: readonly string[] | undefined;
}

/**
 * The registration options as far as `register` reads them. The contract's
 * `PublicKeyCredentialCreationOptionsJSON` fits, and so do `@simplewebauthn/server`'s
 * options, whose descriptors type `type` as a string.
 *
 * @example
 * ```ts
 * import { generateRegistrationOptions } from '@simplewebauthn/server';
 * import type { RegistrationOptionsInput } from '@twofold/mock/authenticator';
 * const options: RegistrationOptionsInput = await generateRegistrationOptions({
 *   rpName: 'Demo',
 *   rpID: 'localhost',
 *   userName: 'ada',
 *   excludeCredentials: [{ id: 'AAAAAAAAAAAAAAAAAAAAAA' }],
 * });
 * options.excludeCredentials?.[0]?.type; // 'public-key'
 * ```
 */
export interface RegistrationOptionsInput {
  rp: { id?: string | undefined; name: string };
  user: { id: string; name: string; displayName: string };
  challenge: string;
  pubKeyCredParams: readonly { type: string; alg: number }[];
  excludeCredentials?: readonly CredentialDescriptorInput[] | undefined;
}

/**
 * The authentication options as far as `authenticate` reads them: the contract's
 * `PublicKeyCredentialRequestOptionsJSON` fits, and so do `@simplewebauthn/server`'s.
 *
 * @example
 * ```ts
 * import { generateAuthenticationOptions } from '@simplewebauthn/server';
 * import type { AuthenticationOptionsInput } from '@twofold/mock/authenticator';
 * const options: AuthenticationOptionsInput = await generateAuthenticationOptions({ rpID: 'localhost' });
 * options.rpId; // 'localhost'
 * ```
 */
export interface AuthenticationOptionsInput {
  challenge: string;
  rpId?: string | undefined;
  allowCredentials?: readonly CredentialDescriptorInput[] | undefined;
}

/**
 * What `register` answers: the contract's `RegistrationResponseJSON` with every member a
 * browser fills in present, so it is also a `@simplewebauthn/server` `RegistrationResponseJSON`.
 *
 * @example
 * ```ts
 * import type { RegistrationResponseJSON } from '@simplewebauthn/server';
 * import { createSoftwareAuthenticator, type SoftwareRegistrationResponse } from '@twofold/mock/authenticator';
 * const authenticator = createSoftwareAuthenticator({ origin: 'https://example.com' });
 * const response: SoftwareRegistrationResponse = await authenticator.register({
 *   rp: { name: 'Example' },
 *   user: { id: 'dXNlci0x', name: 'ada', displayName: 'Ada' },
 *   challenge: 'Y2hhbGxlbmdl',
 *   pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
 * });
 * const forSimpleWebAuthn: RegistrationResponseJSON = response;
 * forSimpleWebAuthn.response.transports; // ['internal']
 * response.authenticatorAttachment; // 'platform'
 * ```
 */
export type SoftwareRegistrationResponse = RegistrationResponseJSON & {
  authenticatorAttachment: 'platform';
  response: {
    authenticatorData: string;
    transports: string[];
    publicKeyAlgorithm: number;
    publicKey: string;
  };
};

/**
 * What `authenticate` answers: the contract's `AuthenticationResponseJSON` with `userHandle`
 * (credentials are discoverable), so it is also a `@simplewebauthn/server`
 * `AuthenticationResponseJSON`.
 *
 * @example
 * ```ts
 * import { createSoftwareAuthenticator, type SoftwareAuthenticationResponse } from '@twofold/mock/authenticator';
 * const authenticator = createSoftwareAuthenticator({ origin: 'https://example.com' });
 * await authenticator.createCredential({ rpId: 'example.com', userHandle: 'dXNlci0x' });
 * const response: SoftwareAuthenticationResponse = await authenticator.authenticate({ challenge: 'Y2hhbGxlbmdl' });
 * response.response.userHandle; // 'dXNlci0x'
 * ```
 */
export type SoftwareAuthenticationResponse = AuthenticationResponseJSON & {
  authenticatorAttachment: 'platform';
  response: { userHandle: string };
};

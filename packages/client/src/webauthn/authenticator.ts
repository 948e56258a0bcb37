import {
  browserSupportsWebAuthn,
  platformAuthenticatorIsAvailable,
  base64URLStringToBuffer as toBuffer,
  bufferToBase64URLString as toText,
  WebAuthnAbortService,
} from '@simplewebauthn/browser';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialDescriptorJSON,
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
 * await keys.register({ name: 'CI', password: 'correct horse battery staple' });
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

/** The browser's authenticators: `navigator.credentials` with SimpleWebAuthn's encoders. */
export interface BrowserAuthenticator extends PasskeyAuthenticator {
  supported(): boolean;
  /** Closes the prompt of the ceremony under way. */
  cancel(): void;
}

const descriptor = ({ id, type, transports }: PublicKeyCredentialDescriptorJSON) => ({
  id: toBuffer(id),
  type,
  ...(transports && { transports: transports as AuthenticatorTransport[] }),
});

/** A response getter that some browsers and password-manager extensions lack or break. */
function optional<T>(get: (() => T) | undefined): T | undefined {
  try {
    return get?.();
  } catch {
    return undefined;
  }
}

const attachment = (value: string | null): 'platform' | 'cross-platform' | undefined =>
  value === 'platform' || value === 'cross-platform' ? value : undefined;

/** `navigator.credentials.create()` or `.get()` with `publicKey` (binary members as buffers). */
async function ask<T extends AuthenticatorResponse>(create: boolean, publicKey: object) {
  // A new ceremony aborts the one before (the browser allows one at a time).
  const request = {
    publicKey,
    signal: WebAuthnAbortService.createNewAbortSignal(),
  } as CredentialCreationOptions & CredentialRequestOptions;
  const credential = (await (create
    ? navigator.credentials.create(request)
    : navigator.credentials.get(request))) as PublicKeyCredential | null;
  if (!credential) throw new DOMException('The ceremony was not completed', 'NotAllowedError');
  return {
    response: credential.response as T,
    common: {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: 'public-key' as const,
      clientExtensionResults: credential.getClientExtensionResults() as Record<string, unknown>,
      authenticatorAttachment: attachment(credential.authenticatorAttachment),
    },
  };
}

// SimpleWebAuthn's startRegistration/startAuthentication would add ~0.9 KB min+gzip of error
// diagnosis whose messages we replace with typed codes anyway (ceremony.ts); the conversions
// are its own, so the JSON is the same as theirs.
export const browserAuthenticator: BrowserAuthenticator = {
  async register(options) {
    const { response, common } = await ask<AuthenticatorAttestationResponse>(true, {
      ...options,
      challenge: toBuffer(options.challenge),
      user: { ...options.user, id: toBuffer(options.user.id) },
      excludeCredentials: options.excludeCredentials?.map(descriptor) ?? [],
    });
    const publicKey = optional(response.getPublicKey?.bind(response));
    const authenticatorData = optional(response.getAuthenticatorData?.bind(response));
    return {
      ...common,
      response: {
        clientDataJSON: toText(response.clientDataJSON),
        attestationObject: toText(response.attestationObject),
        transports: optional(response.getTransports?.bind(response)),
        publicKeyAlgorithm: optional(response.getPublicKeyAlgorithm?.bind(response)),
        publicKey: publicKey ? toText(publicKey) : undefined,
        authenticatorData: authenticatorData ? toText(authenticatorData) : undefined,
      },
    };
  },
  async authenticate(options) {
    const { allowCredentials, ...rest } = options;
    const { response, common } = await ask<AuthenticatorAssertionResponse>(false, {
      ...rest,
      challenge: toBuffer(options.challenge),
      // An empty list would block discoverable credentials: leave it out instead.
      ...(allowCredentials?.length && { allowCredentials: allowCredentials.map(descriptor) }),
    });
    return {
      ...common,
      response: {
        clientDataJSON: toText(response.clientDataJSON),
        authenticatorData: toText(response.authenticatorData),
        signature: toText(response.signature),
        userHandle: response.userHandle ? toText(response.userHandle) : undefined,
      },
    };
  },
  isPlatformAuthenticatorAvailable: platformAuthenticatorIsAvailable,
  supported: browserSupportsWebAuthn,
  cancel: () => WebAuthnAbortService.cancelCeremony(),
};

import * as v from 'valibot';

// The standard WebAuthn Level 3 JSON shapes (as produced by @simplewebauthn/server and
// @simplewebauthn/browser), as far as Twofold reads or sends them (spec §5). Binary members are
// base64url strings; every string the server reads is bounded, so no request can make it hold
// or log an unbounded value.

const base64url = (field: string, max: number) =>
  v.pipe(
    v.string(`${field} must be a string`),
    v.maxLength(max, `${field} is too long`),
    v.regex(/^[A-Za-z0-9_-]*$/, `${field} must be base64url`),
  );

const transports = v.optional(v.array(v.pipe(v.string(), v.maxLength(32))));

/** A credential named in `excludeCredentials` or `allowCredentials`. */
export const PublicKeyCredentialDescriptorJSON = v.object({
  id: v.string(),
  type: v.literal('public-key'),
  transports,
});

/** What the browser passes to `navigator.credentials.create()` (registration options). */
export const PublicKeyCredentialCreationOptionsJSON = v.looseObject({
  rp: v.object({ name: v.string(), id: v.optional(v.string()) }),
  user: v.object({ id: v.string(), name: v.string(), displayName: v.string() }),
  challenge: v.string(),
  pubKeyCredParams: v.array(v.object({ type: v.literal('public-key'), alg: v.number() })),
  timeout: v.optional(v.number()),
  excludeCredentials: v.optional(v.array(PublicKeyCredentialDescriptorJSON)),
  authenticatorSelection: v.optional(
    v.object({
      authenticatorAttachment: v.optional(v.picklist(['platform', 'cross-platform'])),
      residentKey: v.optional(v.picklist(['discouraged', 'preferred', 'required'])),
      requireResidentKey: v.optional(v.boolean()),
      userVerification: v.optional(v.picklist(['discouraged', 'preferred', 'required'])),
    }),
  ),
  attestation: v.optional(v.picklist(['none', 'indirect', 'direct', 'enterprise'])),
});

/** What the browser passes to `navigator.credentials.get()` (the login challenge's options). */
export const PublicKeyCredentialRequestOptionsJSON = v.looseObject({
  challenge: v.string(),
  timeout: v.optional(v.number()),
  rpId: v.optional(v.string()),
  allowCredentials: v.optional(v.array(PublicKeyCredentialDescriptorJSON)),
  userVerification: v.optional(v.picklist(['discouraged', 'preferred', 'required'])),
});

const credentialCommon = {
  id: base64url('id', 1400),
  rawId: base64url('rawId', 1400),
  type: v.literal('public-key', 'type must be "public-key"'),
  authenticatorAttachment: v.optional(v.picklist(['platform', 'cross-platform'])),
  clientExtensionResults: v.optional(v.record(v.string(), v.unknown()), {}),
};

/** The browser's answer to registration options (`navigator.credentials.create()`). */
export const RegistrationResponseJSON = v.object({
  ...credentialCommon,
  response: v.object({
    clientDataJSON: base64url('clientDataJSON', 4096),
    attestationObject: base64url('attestationObject', 12_000),
    authenticatorData: v.optional(base64url('authenticatorData', 4096)),
    transports,
    publicKeyAlgorithm: v.optional(v.number()),
    publicKey: v.optional(base64url('publicKey', 4096)),
  }),
});

/** The browser's answer to the login challenge (`navigator.credentials.get()`). */
export const AuthenticationResponseJSON = v.object({
  ...credentialCommon,
  response: v.object({
    clientDataJSON: base64url('clientDataJSON', 4096),
    authenticatorData: base64url('authenticatorData', 4096),
    signature: base64url('signature', 2048),
    userHandle: v.optional(base64url('userHandle', 1024)),
  }),
});

/** A registered passkey as the API lists it. */
export const PasskeyData = v.object({
  credential_id: v.string(),
  name: v.string(),
  created_at: v.string(),
  /** Absent until the passkey first completes a login. */
  last_used_at: v.optional(v.string()),
});

export type PublicKeyCredentialDescriptorJSON = v.InferOutput<
  typeof PublicKeyCredentialDescriptorJSON
>;
export type PublicKeyCredentialCreationOptionsJSON = v.InferOutput<
  typeof PublicKeyCredentialCreationOptionsJSON
>;
export type PublicKeyCredentialRequestOptionsJSON = v.InferOutput<
  typeof PublicKeyCredentialRequestOptionsJSON
>;
export type RegistrationResponseJSON = v.InferOutput<typeof RegistrationResponseJSON>;
export type AuthenticationResponseJSON = v.InferOutput<typeof AuthenticationResponseJSON>;
export type PasskeyData = v.InferOutput<typeof PasskeyData>;

import { TwofoldConfigError } from './config-error.js';

/** What the passkey policy sees of a new credential, after its attestation verified. */
export interface AuthenticatorInfo {
  /** The authenticator model as a UUID (all zeros when the authenticator does not say). */
  aaguid: string;
  /** The attestation statement format: `'none'`, `'packed'`, `'tpm'`, `'apple'`, … */
  attestationFormat: string;
  /** The attestation certificate chain (DER), leaf first; empty for `none` and self attestation. */
  trustPath: Uint8Array[];
  /** The credential may be synced to other devices (a multi-device passkey). */
  backupEligible: boolean;
  /** The credential is synced now. */
  backedUp: boolean;
  /** The authenticator verified the user (PIN, biometrics). */
  userVerified: boolean;
  /** base64url credential id. */
  credentialId: string;
  transports: string[];
}

/** Passkeys (WebAuthn) as a second factor, spec §5. */
export interface WebAuthnOptions {
  /** The relying party id: your site's registrable domain (`example.com`) or `localhost`. */
  rpId: string;
  /** The name authenticators show, e.g. your product's name. */
  rpName: string;
  /** Every origin your pages run on, e.g. `['https://app.example.com']`; each on `rpId` or a subdomain. */
  origins: string[];
  /** `'preferred'` (default), or `'required'`: refuse responses without user verification. */
  userVerification?: 'required' | 'preferred';
  /** `'none'` (default), or `'direct'`: ask for the attestation statement (for `policy`). */
  attestation?: 'none' | 'direct';
  /** Decides whether a new credential may be registered; false answers `WEBAUTHN_NOT_ALLOWED`. */
  policy?: (authenticator: AuthenticatorInfo) => boolean | Promise<boolean>;
}

/** {@link WebAuthnOptions} checked, with defaults filled in. */
export type WebAuthnConfig = Required<Omit<WebAuthnOptions, 'policy'>> &
  Pick<WebAuthnOptions, 'policy'>;

const DOMAIN =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

function origin(value: unknown, rpId: string): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TwofoldConfigError('webauthn.origins', `must hold http(s) origins, got ${value}`);
  }
  if (url.origin !== String(value).replace(/\/$/, '')) {
    throw new TwofoldConfigError(
      'webauthn.origins',
      `must hold origins without a path, got ${value} (did you mean ${url.origin}?)`,
    );
  }
  const host = url.hostname;
  if (host !== rpId && !host.endsWith(`.${rpId}`)) {
    throw new TwofoldConfigError(
      'webauthn.origins',
      `${url.origin} is not on ${rpId} or a subdomain of it: browsers would refuse the rpId there`,
    );
  }
  return url.origin;
}

/**
 * Checks the passkey options at creation, so a wrong rpId or origin is a start error naming
 * the option, not a ceremony that fails in every browser.
 */
export function resolveWebAuthn(options: WebAuthnOptions | undefined): WebAuthnConfig | undefined {
  if (options === undefined) return undefined;
  const { rpId, rpName, origins } = options;
  // An IPv4 address passes the label rules; no top-level domain is all digits.
  if (typeof rpId !== 'string' || !DOMAIN.test(rpId) || /(^|\.)\d+$/.test(rpId)) {
    throw new TwofoldConfigError(
      'webauthn.rpId',
      `must be a domain name such as example.com or localhost (no scheme, port or IP address), got ${rpId}`,
    );
  }
  if (typeof rpName !== 'string' || rpName.trim() === '') {
    throw new TwofoldConfigError('webauthn.rpName', 'must be a non-empty name');
  }
  if (!Array.isArray(origins) || origins.length === 0) {
    throw new TwofoldConfigError('webauthn.origins', 'must list at least one origin');
  }
  const userVerification = options.userVerification ?? 'preferred';
  if (userVerification !== 'required' && userVerification !== 'preferred') {
    throw new TwofoldConfigError(
      'webauthn.userVerification',
      `must be 'required' or 'preferred', got ${userVerification}`,
    );
  }
  const attestation = options.attestation ?? 'none';
  if (attestation !== 'none' && attestation !== 'direct') {
    throw new TwofoldConfigError(
      'webauthn.attestation',
      `must be 'none' or 'direct', got ${attestation}`,
    );
  }
  if (options.policy !== undefined && typeof options.policy !== 'function') {
    throw new TwofoldConfigError('webauthn.policy', 'must be a function');
  }
  return {
    rpId,
    rpName,
    origins: [...new Set(origins.map((value) => origin(value, rpId)))],
    userVerification,
    attestation,
    ...(options.policy === undefined ? {} : { policy: options.policy }),
  };
}

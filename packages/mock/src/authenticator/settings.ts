import { aaguidBytes } from './authenticator-data.js';
import type { SoftwareAuthenticatorOptions } from './types.js';

/** The options with their defaults applied, checked once at creation. */
export interface Settings {
  attestation: 'none' | 'packed';
  aaguid: Uint8Array;
  userVerified: boolean;
  userPresent: boolean;
  backupEligible: boolean;
  backedUp: boolean;
  transports: string[];
  rpIdOverride: string | undefined;
}

export function resolveSettings(options: SoftwareAuthenticatorOptions): Settings {
  if (options.attestation !== undefined && !['none', 'packed'].includes(options.attestation)) {
    throw new TypeError(`attestation must be 'none' or 'packed', got ${options.attestation}`);
  }
  return {
    attestation: options.attestation ?? 'none',
    aaguid: options.aaguid === undefined ? new Uint8Array(16) : aaguidBytes(options.aaguid),
    userVerified: options.userVerified ?? true,
    userPresent: options.userPresent ?? true,
    backupEligible: options.backupEligible ?? false,
    backedUp: options.backedUp ?? false,
    transports: [...(options.transports ?? ['internal'])],
    rpIdOverride: options.rpIdOverride,
  };
}

/** The RP ID a browser uses when the options name none: the origin's hostname. */
export const defaultRpId = (origin: string): string => new URL(origin).hostname;

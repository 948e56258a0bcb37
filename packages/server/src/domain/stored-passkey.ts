/** A registered WebAuthn credential as the store keeps it (inside the user's MFA record). */
export interface StoredPasskey {
  /** base64url credential id. */
  id: string;
  /** base64url COSE public key. */
  publicKey: string;
  /** The last sign counter the authenticator reported. */
  counter: number;
  transports: string[];
  /** The authenticator model (all zeros when it does not say). */
  aaguid: string;
  /** The credential may be synced to other devices (BE flag). */
  backupEligible: boolean;
  /** The credential is synced (BS flag, at registration). */
  backedUp: boolean;
  name: string;
  createdAt: string;
  lastUsedAt?: string;
}

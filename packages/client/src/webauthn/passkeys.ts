import { normalizeTotpCode, type PasskeyData } from '@twofold/contract';
import {
  type Authenticated,
  challengeExpired,
  isExpired,
  type MfaRequired,
  type Signal,
  type StepUpProof,
  stepUpBody,
  type TwofoldClient,
} from '../client.js';
import { SEND, type Send } from '../send.js';
import { browserAuthenticator, type PasskeyAuthenticator } from './authenticator.js';
import { ceremony, passkeyError } from './ceremony.js';

/** Options of {@link passkeys}. */
export interface PasskeysOptions {
  /**
   * Runs the ceremonies instead of the browser's `navigator.credentials`: e.g.
   * `createSoftwareAuthenticator({ origin })` of `@twofold/mock/authenticator` in tests. Its
   * rejections are mapped like the browser's. An abort of a method's `signal` cannot close its
   * prompt: the method fails `ABORTED` once the prompt settles.
   */
  authenticator?: PasskeyAuthenticator;
}

/** A passkey of the user, as {@link Passkeys.list} answers it. */
export interface Passkey {
  credentialId: string;
  name: string;
  createdAt: Date;
  /** Absent until the passkey first completes a login. */
  lastUsedAt?: Date;
}

/** A passkey just added by {@link Passkeys.register}. */
export interface RegisteredPasskey extends Passkey {
  /** The 10 backup codes, shown once, when the passkey is the user's first second factor. */
  backupCodes?: string[];
}

/** What {@link Passkeys.register} takes. */
export interface RegisterPasskeyInput {
  /** How the user will recognise it in the list, e.g. 'MacBook Touch ID' (≤ 64 characters). */
  name?: string;
  /**
   * A step-up proof is required: the password (for the first factor, only the password
   * will do)…
   */
  password?: string;
  /** …or, once MFA is enabled, a current TOTP code. */
  code?: string;
}

/** Passkeys as a second factor, on a client of `createClient()`. */
export interface Passkeys {
  /** Whether WebAuthn is there at all (always true with an `authenticator` given). */
  isSupported(): boolean;
  /**
   * Whether a built-in authenticator (Touch ID, Windows Hello, Android) can be used; with an
   * `authenticator` given, what its `isPlatformAuthenticatorAvailable()` says (default false).
   */
  isPlatformAuthenticatorAvailable(): Promise<boolean>;
  /**
   * Adds a passkey: the server's options, the browser's prompt, the server's check. Throws
   * `PASSKEY_UNSUPPORTED` before any request where WebAuthn is missing.
   */
  register(input?: RegisterPasskeyInput, options?: Signal): Promise<RegisteredPasskey>;
  /** The user's passkeys. */
  list(options?: Signal): Promise<Passkey[]>;
  /** Removes a passkey, with the password or a current TOTP code as proof. */
  remove(credentialId: string, proof: StepUpProof, options?: Signal): Promise<void>;
  /**
   * Completes a login that answered `mfa_required` with a passkey: runs the prompt with the
   * challenge's `webauthnOptions` and sends the answer. Without `webauthnOptions` (the user has
   * no passkey) it throws `PASSKEY_NOT_OFFERED` and sends nothing.
   */
  complete(mfaRequired: MfaRequired, options?: Signal): Promise<Authenticated>;
}

const toPasskey = (data: PasskeyData): Passkey => ({
  credentialId: data.credential_id,
  name: data.name,
  createdAt: new Date(data.created_at),
  ...(data.last_used_at && { lastUsedAt: new Date(data.last_used_at) }),
});

/**
 * Passkeys (WebAuthn) as a second factor, for a client made by `createClient()`: add, list and
 * remove them, and complete a login's MFA challenge with one. Calls go through the client, so
 * its session (and token refresh) applies. Every failure of the prompt is a `TwofoldError`
 * with a `PASSKEY_*` code and the browser's error as `cause`.
 *
 * @example
 * ```ts
 * import { createClient } from '@twofold/client';
 * import { passkeys } from '@twofold/client/webauthn';
 * const client = createClient({ baseUrl: 'https://auth.example.com' });
 * await client.auth.login({ username: 'bob', password: 'correct horse battery staple' });
 * const keys = passkeys(client);
 * keys.isSupported(); // true
 * const added = await keys.register({ name: 'This laptop', password: 'correct horse battery staple' }); // the browser asks for the passkey
 * added.backupCodes?.length; // 10
 * (await keys.list()).map((passkey) => passkey.name); // ['This laptop']
 *
 * await client.auth.logout();
 * const result = await client.auth.login({ username: 'bob', password: 'correct horse battery staple' });
 * result.status; // 'mfa_required'
 * if (result.status === 'mfa_required') await keys.complete(result); // the browser asks again
 * (await client.auth.session())?.user.username; // 'bob'
 * ```
 */
export function passkeys(client: TwofoldClient, options: PasskeysOptions = {}): Passkeys {
  const send = (client as { [SEND]?: Send })[SEND];
  if (!send) throw new TypeError('passkeys() needs a client of createClient()');
  const given = options.authenticator;
  const authenticator = given ?? browserAuthenticator;
  const cancel = given ? undefined : browserAuthenticator.cancel;
  const isSupported = () => !!given || browserAuthenticator.supported();
  const requireSupport = () => {
    if (!isSupported()) throw passkeyError('PASSKEY_UNSUPPORTED');
  };

  return {
    isSupported,

    async isPlatformAuthenticatorAvailable() {
      // A question for the UI: an authenticator that cannot answer it has none to offer.
      try {
        return (await authenticator.isPlatformAuthenticatorAvailable?.()) ?? false;
      } catch {
        return false;
      }
    },

    async register({ name, password, code } = {}, { signal } = {}) {
      // Before the options request, which may spend a one-time TOTP code as step-up proof.
      requireSupport();
      const creation = await send('webauthn.registerOptions', {
        body: { name, password, totp_code: code === undefined ? code : normalizeTotpCode(code) },
        signal,
      });
      const response = await ceremony(
        () => authenticator.register(creation),
        creation.timeout,
        signal,
        cancel,
      );
      const data = await send('webauthn.registerVerify', { body: { response, name }, signal });
      return { ...toPasskey(data), ...(data.backup_codes && { backupCodes: data.backup_codes }) };
    },

    async list({ signal } = {}) {
      return (await send('webauthn.credentials', { signal })).map(toPasskey);
    },

    async remove(credentialId, proof, { signal } = {}) {
      await send('webauthn.deleteCredential', {
        params: { credential_id: credentialId },
        body: stepUpBody(proof),
        signal,
      });
    },

    async complete(mfaRequired, completeOptions = {}) {
      const request = mfaRequired.challenge.webauthnOptions;
      if (!request) throw passkeyError('PASSKEY_NOT_OFFERED');
      // Before the prompt: an answer to an expired challenge would be refused anyway.
      if (isExpired(mfaRequired.challenge)) throw challengeExpired();
      requireSupport();
      const webauthnResponse = await ceremony(
        () => authenticator.authenticate(request),
        request.timeout,
        completeOptions.signal,
        cancel,
      );
      return mfaRequired.complete({ webauthnResponse }, completeOptions);
    },
  };
}

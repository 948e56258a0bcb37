import type {
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@twofold/contract';
import { LIFETIMES } from '@twofold/contract';
import type { Logger } from '../options.js';
import { type Store, updateWithRetry } from '../store/store.js';
import type { AuthenticatorInfo, WebAuthnConfig } from '../webauthn-options.js';
import { type MfaRecord, type MfaService, type MfaState, mfaEnabled, mfaKey } from './mfa.js';
import type { StoredPasskey } from './stored-passkey.js';

/** A registration ceremony in flight: bound to its user and to the relying party it was for. */
interface RegistrationChallenge {
  userId: string;
  rpId: string;
  origins: string[];
  name: string | undefined;
  /**
   * MFA was on when the options were asked for, so a step-up proof was given. Without it the
   * registration may finish only while MFA is still off: options fetched before MFA went on
   * must not add a factor later without the proof.
   */
  steppedUp: boolean;
}

/** Which user holds a credential id, since when (store clock, ms). */
interface OwnerClaim {
  userId: string;
  claimedAt: number;
}

/** The WebAuthn part of a login challenge (spec §2.1): what the assertion must be made for. */
export interface AssertionChallenge {
  challenge: string;
  rpId: string;
  origins: string[];
}

export type RegisterOutcome =
  | { outcome: 'registered'; passkey: StoredPasskey; backupCodes: string[] | undefined }
  | { outcome: 'challenge-invalid' }
  | { outcome: 'failed'; reason: string }
  | { outcome: 'not-allowed' }
  | { outcome: 'exists' }
  | { outcome: 'limit-reached' };

export type AssertionOutcome = { outcome: 'accepted' } | { outcome: 'failed'; reason: string };
export type RemoveOutcome = 'removed' | 'mfa-disabled' | 'not-found';

const registrationKey = (challenge: string) => `webauthn-registration:${challenge}`;
const ownerKey = (credentialId: string) => `webauthn-credential:${credentialId}`;
/** Our challenges are 32 bytes in base64url; anything else (NUL, odd lengths) is not ours. */
const CHALLENGE_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;
/** Passkeys per user: keeps the MFA record and login step 1's allowCredentials small. */
export const MAX_PASSKEYS = 20;
/** The transports WebAuthn defines; anything else a client sends is dropped, not stored. */
const TRANSPORTS = new Set(['usb', 'nfc', 'ble', 'smart-card', 'hybrid', 'internal', 'cable']);
const knownTransports = (transports: readonly string[]) => [
  ...new Set(transports.filter((transport) => TRANSPORTS.has(transport))),
];

/**
 * SimpleWebAuthn, loaded on first use: it takes ~0.5 s to load, which a server without passkeys
 * (and every start before the first passkey request) need not pay.
 */
let library:
  | Promise<
      [typeof import('@simplewebauthn/server'), typeof import('@simplewebauthn/server/helpers')]
    >
  | undefined;
const simpleWebAuthn = () =>
  (library ??= Promise.all([
    import('@simplewebauthn/server'),
    import('@simplewebauthn/server/helpers'),
  ]));

/** UTF-8 text of base64url (unpadded or padded), as clientDataJSON carries it. */
const base64UrlText = (value: string): string =>
  new TextDecoder().decode(
    Uint8Array.from(atob(value.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
  );

/** The challenge a response was made for, read from its clientDataJSON; undefined if unreadable. */
function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const clientData = JSON.parse(base64UrlText(clientDataJSON)) as {
      challenge?: unknown;
    };
    const { challenge } = clientData;
    return typeof challenge === 'string' && CHALLENGE_SHAPE.test(challenge) ? challenge : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The record with `passkey` added. As the first factor it brings the backup codes, and a TOTP
 * setup left pending goes: its /mfa/verify would replace those codes, and setup is refused
 * while MFA is on (spec §3 rule 4).
 */
function withPasskey(record: MfaRecord, passkey: StoredPasskey, hashedCodes: string[]): MfaRecord {
  const passkeys = [...(record.passkeys ?? []).filter(({ id }) => id !== passkey.id), passkey];
  if (mfaEnabled(record)) return { ...record, passkeys };
  const { pending: _, ...rest } = record;
  return { ...rest, passkeys, codes: hashedCodes };
}

/**
 * The key algorithms offered at registration: EdDSA, ES256, RS256. SimpleWebAuthn's default
 * adds ML-DSA-44 where the runtime's WebCrypto has it (Chromium, so the mock in a page): the
 * mock would then differ from the server on Node 20, and an ML-DSA-44 signature (2420 bytes) is
 * beyond the contract's bound on `signature`, so such a passkey could register but never log in.
 */
const ALGORITHMS = [-8, -7, -257];

/**
 * What a client is told about a response that did not verify: SimpleWebAuthn's messages name
 * the expected values (every configured origin, for one), which are not the client's business.
 */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reasons: [RegExp, string][] = [
    [/origin/i, 'it was made on an origin this server does not accept'],
    [/rp ?id/i, 'it was made for another relying party id'],
    [/user (was not )?verif/i, 'the authenticator did not verify the user'],
    [/user (was not )?present/i, 'the authenticator did not see the user present'],
    [/challenge/i, 'it answers another challenge'],
    [/signature/i, 'its signature did not verify'],
    [/algorithm/i, 'its key algorithm was not offered'],
  ];
  return reasons.find(([pattern]) => pattern.test(message))?.[1] ?? 'it is malformed';
}

/**
 * Passkeys as a second factor (spec §5) on `@simplewebauthn/server`: registration and
 * assertion ceremonies whose challenges live in the store (single use, bound to the user and
 * the relying party), and the credentials inside the user's MFA record.
 */
export class PasskeyService {
  readonly #store: Store;
  readonly #config: WebAuthnConfig;
  readonly #mfa: MfaService;
  readonly #now: () => number;
  readonly #logger: Logger;

  constructor(
    store: Store,
    config: WebAuthnConfig,
    mfa: MfaService,
    now: () => number,
    logger: Logger,
  ) {
    this.#store = store;
    this.#config = config;
    this.#mfa = mfa;
    this.#now = now;
    this.#logger = logger;
  }

  /** Creation options for a new passkey of the user; the challenge is stored for 5 minutes. */
  async registrationOptions(
    user: { id: string; username: string },
    state: MfaState,
    name: string | undefined,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const { rpId, rpName, origins, userVerification, attestation } = this.#config;
    const [{ generateRegistrationOptions }] = await simpleWebAuthn();
    const options = await generateRegistrationOptions({
      rpName,
      rpID: rpId,
      userName: user.username,
      // Authenticators show it when the user picks a passkey; empty would show nothing.
      userDisplayName: user.username,
      userID: new TextEncoder().encode(user.id),
      timeout: LIFETIMES.webauthnRegistration,
      attestationType: attestation,
      // One passkey per authenticator: the browser refuses to make a second one.
      excludeCredentials: state.passkeys.map(({ id, transports }) => ({ id, transports })),
      authenticatorSelection: { residentKey: 'preferred', userVerification },
      supportedAlgorithmIDs: ALGORITHMS,
    });
    const challenge: RegistrationChallenge = {
      userId: user.id,
      rpId,
      origins,
      name,
      steppedUp: state.enabled,
    };
    await this.#store.set(registrationKey(options.challenge), challenge, {
      ttlMs: LIFETIMES.webauthnRegistration,
    });
    return options as PublicKeyCredentialCreationOptionsJSON;
  }

  /**
   * Finishes a registration: the challenge is used up, the response verified against the
   * relying party it was made for, the policy asked, and the credential stored. The user's
   * first second factor also gets backup codes, so a passkey is never the only way in.
   */
  async register(
    userId: string,
    response: RegistrationResponseJSON,
    givenName: string | undefined,
  ): Promise<RegisterOutcome> {
    const challenge = challengeOf(response.response.clientDataJSON);
    if (challenge === undefined)
      return { outcome: 'failed', reason: 'clientDataJSON is unreadable or names no challenge' };
    // Another user's challenge is refused without using it up.
    const peeked = await this.#store.get<RegistrationChallenge>(registrationKey(challenge));
    if (peeked === undefined || peeked.value.userId !== userId) {
      return { outcome: 'challenge-invalid' };
    }
    const ceremony = await this.#store.consume<RegistrationChallenge>(registrationKey(challenge));
    if (ceremony === undefined || ceremony.userId !== userId)
      return { outcome: 'challenge-invalid' };

    const [{ verifyRegistrationResponse }, { decodeAttestationObject, isoBase64URL }] =
      await simpleWebAuthn();
    let info: Awaited<ReturnType<typeof verifyRegistrationResponse>>['registrationInfo'];
    try {
      const verified = await verifyRegistrationResponse({
        response: response as Parameters<typeof verifyRegistrationResponse>[0]['response'],
        expectedChallenge: challenge,
        expectedOrigin: ceremony.origins,
        expectedRPID: ceremony.rpId,
        requireUserVerification: this.#config.userVerification === 'required',
        supportedAlgorithmIDs: ALGORITHMS,
      });
      info = verified.registrationInfo;
    } catch (error) {
      return { outcome: 'failed', reason: reasonOf(error) };
    }
    if (info === undefined) return { outcome: 'failed', reason: 'registration did not verify' };

    const { credential } = info;
    const transports = knownTransports(response.response.transports ?? credential.transports ?? []);
    if (this.#config.policy !== undefined) {
      const authenticator: AuthenticatorInfo = {
        aaguid: info.aaguid,
        attestationFormat: info.fmt,
        trustPath: decodeAttestationObject(info.attestationObject).get('attStmt').get('x5c') ?? [],
        backupEligible: info.credentialDeviceType === 'multiDevice',
        backedUp: info.credentialBackedUp,
        userVerified: info.userVerified,
        credentialId: credential.id,
        transports: [...transports],
      };
      if (!(await this.#config.policy(authenticator))) return { outcome: 'not-allowed' };
    }

    if (!(await this.#claim(credential.id, userId))) return { outcome: 'exists' };
    const passkey: StoredPasskey = {
      id: credential.id,
      publicKey: isoBase64URL.fromBuffer(credential.publicKey),
      counter: credential.counter,
      transports: [...transports],
      aaguid: info.aaguid,
      backupEligible: info.credentialDeviceType === 'multiDevice',
      backedUp: info.credentialBackedUp,
      name: '',
      createdAt: new Date(this.#now()).toISOString(),
    };
    const codes = this.#mfa.newCodes();
    const outcome = await updateWithRetry<MfaRecord, RegisterOutcome>(
      this.#store,
      mfaKey(userId),
      (entry) => {
        const record: MfaRecord = entry?.value ?? { lastStep: -1 };
        const passkeys = record.passkeys ?? [];
        if (passkeys.some(({ id }) => id === passkey.id)) return { result: { outcome: 'exists' } };
        const first = !mfaEnabled(record);
        if (!first && !ceremony.steppedUp) return { result: { outcome: 'challenge-invalid' } };
        if (passkeys.length >= MAX_PASSKEYS) return { result: { outcome: 'limit-reached' } };
        const named = {
          ...passkey,
          name: givenName ?? ceremony.name ?? `Passkey ${passkeys.length + 1}`,
        };
        return {
          write: withPasskey(record, named, codes.hashed),
          result: {
            outcome: 'registered',
            passkey: named,
            backupCodes: first ? codes.plain : undefined,
          },
        };
      },
    );
    // Refused after all (MFA went on meanwhile, the limit, a race): the id is not this user's.
    if (outcome.outcome !== 'registered') await this.release([passkey.id], userId);
    return outcome;
  }

  /**
   * Marks the credential id as this user's. A credential id belongs to one user only; a claim
   * whose owner no longer holds the credential (a removal that did not finish) is taken over
   * once it is older than a registration can take, so an owner's registration in flight (claim
   * made, record not yet written) keeps its claim.
   */
  async #claim(credentialId: string, userId: string): Promise<boolean> {
    const claim: OwnerClaim = { userId, claimedAt: this.#now() };
    if (await this.#store.insert(ownerKey(credentialId), claim)) return true;
    const owner = await this.#store.get<OwnerClaim>(ownerKey(credentialId));
    if (owner === undefined) return this.#store.insert(ownerKey(credentialId), claim);
    if (owner.value.claimedAt > this.#now() - LIFETIMES.webauthnRegistration) return false;
    const ownerRecord = await this.#store.get<MfaRecord>(mfaKey(owner.value.userId));
    const stillHeld = ownerRecord?.value.passkeys?.some(({ id }) => id === credentialId) ?? false;
    if (stillHeld) return false;
    return this.#store.compareAndSet(ownerKey(credentialId), owner.version, claim);
  }

  /** Gives up `userId`'s claims on these credential ids (a claim another user holds stays). */
  async release(credentialIds: readonly string[], userId: string): Promise<void> {
    await Promise.all(
      credentialIds.map(async (id) => {
        const owner = await this.#store.get<OwnerClaim>(ownerKey(id));
        if (owner?.value.userId === userId) {
          await this.#store.compareAndDelete(ownerKey(id), owner.version);
        }
      }),
    );
  }

  /** Request options for a login challenge of a user with passkeys, and what to check it against. */
  async assertionOptions(
    state: MfaState,
  ): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; challenge: AssertionChallenge }> {
    const { rpId, origins, userVerification } = this.#config;
    const [{ generateAuthenticationOptions }] = await simpleWebAuthn();
    const options = await generateAuthenticationOptions({
      rpID: rpId,
      timeout: LIFETIMES.loginChallenge,
      userVerification,
      allowCredentials: state.passkeys.map(({ id, transports }) => ({ id, transports })),
    });
    return {
      options: options as PublicKeyCredentialRequestOptionsJSON,
      challenge: { challenge: options.challenge, rpId, origins },
    };
  }

  /**
   * Verifies an assertion for a login challenge and records the new sign counter and the time
   * of use. A counter that did not move forward is refused and logged as a possible clone.
   */
  async verifyAssertion(
    userId: string,
    expected: AssertionChallenge,
    response: AuthenticationResponseJSON,
  ): Promise<AssertionOutcome> {
    const state = await this.#mfa.load(userId);
    const passkey = state.passkeys.find(({ id }) => id === response.id);
    if (passkey === undefined) {
      return { outcome: 'failed', reason: 'the credential is not one of this account' };
    }
    const [{ verifyAuthenticationResponse }, { isoBase64URL }] = await simpleWebAuthn();
    let newCounter: number;
    try {
      // The signature first, with no counter expectation: SimpleWebAuthn compares counters
      // before it checks the signature, so a forged response could pass as a "clone".
      const verified = await verifyAuthenticationResponse({
        response: response as Parameters<typeof verifyAuthenticationResponse>[0]['response'],
        expectedChallenge: expected.challenge,
        expectedOrigin: expected.origins,
        expectedRPID: expected.rpId,
        credential: {
          id: passkey.id,
          publicKey: isoBase64URL.toBuffer(passkey.publicKey),
          counter: 0,
          transports: passkey.transports as never,
        },
        requireUserVerification: this.#config.userVerification === 'required',
      });
      if (!verified.verified) return { outcome: 'failed', reason: 'its signature did not verify' };
      newCounter = verified.authenticationInfo.newCounter;
    } catch (error) {
      return { outcome: 'failed', reason: reasonOf(error) };
    }
    if ((newCounter > 0 || passkey.counter > 0) && newCounter <= passkey.counter) {
      this.#logger.warn(
        `passkey ${passkey.id} of user ${userId}: sign counter ${newCounter} after ${passkey.counter}, possibly a cloned authenticator; refused`,
      );
      return {
        outcome: 'failed',
        reason: 'the sign counter went backwards (possibly a cloned authenticator)',
      };
    }
    const lastUsedAt = new Date(this.#now()).toISOString();
    return updateWithRetry<MfaRecord, AssertionOutcome>(
      this.#store,
      mfaKey(userId),
      (entry) => {
        const passkeys = entry?.value.passkeys ?? [];
        const current = passkeys.find(({ id }) => id === passkey.id);
        if (entry === undefined || current === undefined) {
          return { result: { outcome: 'failed', reason: 'the passkey was removed' } };
        }
        // Two logins with one authenticator at once: only a counter still ahead may land.
        if ((newCounter > 0 || current.counter > 0) && newCounter <= current.counter) {
          return { result: { outcome: 'failed', reason: 'the sign counter did not move forward' } };
        }
        const updated = passkeys.map((stored) =>
          stored.id === passkey.id ? { ...stored, counter: newCounter, lastUsedAt } : stored,
        );
        return { write: { ...entry.value, passkeys: updated }, result: { outcome: 'accepted' } };
      },
      { startFrom: state },
    );
  }

  /**
   * Removes one passkey. When it was the last second factor, MFA goes off with it: the whole
   * record (backup codes too) is removed in the same write.
   */
  async remove(userId: string, credentialId: string): Promise<RemoveOutcome> {
    const outcome = await updateWithRetry<MfaRecord, RemoveOutcome>(
      this.#store,
      mfaKey(userId),
      (entry) => {
        const passkeys = entry?.value.passkeys ?? [];
        if (entry === undefined || !passkeys.some(({ id }) => id === credentialId)) {
          return { result: 'not-found' };
        }
        const record: MfaRecord = {
          ...entry.value,
          passkeys: passkeys.filter(({ id }) => id !== credentialId),
        };
        if (mfaEnabled(record)) return { write: record, result: 'removed' };
        return { write: null, result: 'mfa-disabled' };
      },
    );
    if (outcome !== 'not-found') await this.release([credentialId], userId);
    return outcome;
  }

  /**
   * Stores a credential made elsewhere (seeding for tests and mocks): false if another user
   * holds its id, the new backup codes if it is the user's first factor, else true.
   */
  async add(userId: string, passkey: StoredPasskey): Promise<boolean | string[]> {
    if (!(await this.#claim(passkey.id, userId))) return false;
    const codes = this.#mfa.newCodes();
    return updateWithRetry<MfaRecord, true | string[]>(this.#store, mfaKey(userId), (entry) => {
      const record: MfaRecord = entry?.value ?? { lastStep: -1 };
      return {
        write: withPasskey(record, passkey, codes.hashed),
        result: mfaEnabled(record) ? true : codes.plain,
      };
    });
  }
}

import { BACKUP_CODES, LIFETIMES, TOTP } from '@twofold/contract';
import {
  base32Encode,
  buildKeyUri,
  generateBackupCodes,
  generateSecret,
  normalizeBackupCode,
  timingSafeEqual,
  verifyTotp,
} from '@twofold/otp';
import { keyedHash } from '../crypto/keyed-hash.js';
import type { SealingKeys } from '../crypto/sealing-keys.js';
import { type Store, type StoreEntry, updateWithRetry } from '../store/store.js';
import type { StoredPasskey } from './stored-passkey.js';

interface Factor {
  /** The TOTP secret, sealed with AES-256-GCM for this user. */
  secret: string;
  /** Keyed hashes of the unused backup codes. */
  codes: string[];
}

/**
 * One record per user holds every MFA fact (TOTP, backup codes, passkeys), so each change —
 * including "the last factor went, so MFA is off and the codes with it" — is one
 * compare-and-set.
 */
export interface MfaRecord {
  /** The last accepted TOTP step (replay protection, spec §3 rule 1); -1 before any. */
  lastStep: number;
  /**
   * A setup waiting for its confirming code. `lastStep` is set when it replaces an active
   * secret: the new secret has accepted no code yet, so its codes are checked against that
   * baseline, not the old secret's last step (the step-up code may share the step).
   */
  pending?: Factor & { expiresAt: number; lastStep?: number };
  /** The verified TOTP factor. */
  active?: { secret: string; enabledAt: string };
  /** Keyed hashes of the unused backup codes, while any factor is enabled. */
  codes?: string[];
  /** Registered WebAuthn credentials (spec §5). */
  passkeys?: StoredPasskey[];
}

export interface MfaSettings {
  pepper: Uint8Array;
  encryption: SealingKeys;
  issuer: string;
  now: () => number;
}

export interface MfaEnrolment {
  secret: string;
  uri: string;
  backupCodes: string[];
}

/**
 * The user's MFA record as read once at the start of a request: handlers refuse on it what
 * needs no secret (not enabled, nothing pending, no codes left) before an attempt is counted,
 * and the operations below start their compare-and-set from it instead of reading again.
 */
export interface MfaState {
  readonly userId: string;
  readonly entry: StoreEntry<MfaRecord> | undefined;
  /** Some second factor (TOTP or a passkey) is enabled. */
  readonly enabled: boolean;
  readonly totp: boolean;
  readonly passkeys: readonly StoredPasskey[];
  /** A setup waits for its confirming code and has not expired. */
  readonly pendingSetup: boolean;
  readonly backupCodesRemaining: number;
}

export type ActivateOutcome = 'activated' | 'wrong-code' | 'not-pending';
export type TotpOutcome = 'accepted' | 'wrong-code' | 'not-enabled';
export type BackupCodeOutcome = 'accepted' | 'wrong-code' | 'none-left';
export type DisableOutcome = 'disabled' | 'wrong-code' | 'not-enabled';
export type RegenerateOutcome =
  | { outcome: 'regenerated'; codes: string[] }
  | { outcome: 'wrong-code' }
  | { outcome: 'not-enabled' };

export const mfaKey = (userId: string) => `mfa:${userId}`;

/** A user's MFA record as read earlier in the request (with the token, by `authenticate`). */
export interface MfaRead {
  entry: StoreEntry<MfaRecord> | undefined;
}
const EMPTY: MfaRecord = { lastStep: -1 };

/** Some second factor is enabled in `record`. */
export const mfaEnabled = (record: MfaRecord | undefined): boolean =>
  record?.active !== undefined || (record?.passkeys?.length ?? 0) > 0;

/** TOTP enrolment, verification with replay protection, and backup codes, per user. */
export class MfaService {
  readonly #store: Store;
  readonly #settings: MfaSettings;

  constructor(store: Store, settings: MfaSettings) {
    this.#store = store;
    this.#settings = settings;
  }

  #hashCode(code: string): string {
    return keyedHash(this.#settings.pepper, 'backup-code', normalizeBackupCode(code));
  }

  /** Ten new backup codes: plain to show once, hashed to store. */
  newCodes(): { plain: string[]; hashed: string[] } {
    const plain = generateBackupCodes(BACKUP_CODES.count, {
      length: BACKUP_CODES.length,
      alphabet: BACKUP_CODES.alphabet,
    });
    return { plain, hashed: plain.map((code) => this.#hashCode(code)) };
  }

  #livePending(record: MfaRecord | undefined): MfaRecord['pending'] {
    const pending = record?.pending;
    return pending !== undefined && pending.expiresAt > this.#settings.now() ? pending : undefined;
  }

  /** Reads the user's MFA record (one store read, none when `read` brings it already). */
  async load(userId: string, read?: MfaRead): Promise<MfaState> {
    const entry =
      read === undefined ? await this.#store.get<MfaRecord>(mfaKey(userId)) : read.entry;
    const record = entry?.value;
    const enabled = mfaEnabled(record);
    return {
      userId,
      entry,
      enabled,
      totp: record?.active !== undefined,
      passkeys: record?.passkeys ?? [],
      pendingSetup: this.#livePending(record) !== undefined,
      backupCodesRemaining: enabled ? (record?.codes?.length ?? 0) : 0,
    };
  }

  /**
   * Stores a new pending secret and codes (replacing any earlier pending pair together, rule 7);
   * undefined when MFA is already enabled, by TOTP or a passkey (rule 4), unless `replacing`
   * (the caller proved a step-up, spec §6 rule 3): then the active factor stays as it is until
   * the new secret is verified.
   */
  async startSetup(
    userId: string,
    account: string,
    replacing = false,
  ): Promise<MfaEnrolment | undefined> {
    const secret = generateSecret(TOTP.secretBytes);
    const codes = this.newCodes();
    const sealed = await this.#settings.encryption.seal(secret, mfaKey(userId));
    const expiresAt = this.#settings.now() + LIFETIMES.pendingSetup;
    const started = await updateWithRetry<MfaRecord, boolean>(
      this.#store,
      mfaKey(userId),
      (entry) => {
        const record = entry?.value ?? EMPTY;
        const enabled = mfaEnabled(record);
        if (enabled && !replacing) return { result: false };
        const pending: NonNullable<MfaRecord['pending']> = {
          secret: sealed,
          codes: codes.hashed,
          expiresAt,
        };
        if (enabled) pending.lastStep = -1;
        return { write: { ...record, pending }, result: true };
      },
    );
    if (!started) return undefined;
    return {
      secret: base32Encode(secret),
      uri: buildKeyUri({ secret, account, issuer: this.#settings.issuer }),
      backupCodes: codes.plain,
    };
  }

  /** The step `code` verifies at against a sealed secret, or undefined (wrong or replayed). */
  async #totpStep(
    userId: string,
    factor: { secret: string },
    lastStep: number,
    code: string,
  ): Promise<number | undefined> {
    const { plain: secret, stale } = await this.#settings.encryption.open(
      factor.secret,
      mfaKey(userId),
    );
    if (stale) await this.#reseal(userId, factor.secret, secret);
    const result = verifyTotp(secret, code, {
      time: this.#settings.now(),
      window: TOTP.window,
      lastUsedStep: lastStep,
    });
    return result.ok ? result.step : undefined;
  }

  /**
   * Seals again under the current key a secret a previous key opened (a key rotation under
   * way): the record's factor holding `box` gets the new box; anything else is left alone.
   * A caller inside a compare-and-set then conflicts once and reads the new box.
   */
  async #reseal(userId: string, box: string, plain: Uint8Array): Promise<void> {
    const resealed = await this.#settings.encryption.seal(plain, mfaKey(userId));
    await updateWithRetry<MfaRecord, void>(this.#store, mfaKey(userId), (entry) => {
      const { active, pending } = entry?.value ?? EMPTY;
      if (entry === undefined || (active?.secret !== box && pending?.secret !== box)) {
        return { result: undefined };
      }
      const record: MfaRecord = { ...entry.value };
      if (active?.secret === box) record.active = { ...active, secret: resealed };
      if (pending?.secret === box) record.pending = { ...pending, secret: resealed };
      return { write: record, result: undefined };
    });
  }

  /** Activates the pending pair if `code` verifies against it (one atomic write). */
  async activate(state: MfaState, code: string): Promise<ActivateOutcome> {
    const { userId } = state;
    return updateWithRetry<MfaRecord, ActivateOutcome>(
      this.#store,
      mfaKey(userId),
      async (entry) => {
        const pending = this.#livePending(entry?.value);
        if (entry === undefined || pending === undefined) return { result: 'not-pending' };
        const baseline = pending.lastStep ?? entry.value.lastStep;
        const step = await this.#totpStep(userId, pending, baseline, code);
        if (step === undefined) return { result: 'wrong-code' };
        const enabledAt = new Date(this.#settings.now()).toISOString();
        const { secret, codes } = pending;
        const { pending: _, ...rest } = entry.value;
        // The new secret and its codes replace the old ones (and any passkeys stay). Replay
        // protection follows the new secret: a step the old app answered is no replay of it.
        return {
          write: {
            ...rest,
            lastStep: step,
            active: { secret, enabledAt },
            codes,
          },
          result: 'activated',
        };
      },
      { startFrom: state },
    );
  }

  /**
   * One compare-and-set on the active factor that lands only if `code` is a current, unused
   * TOTP code: `write` says what the record becomes (null deletes it). With MFA on by passkeys
   * only, no code is a current TOTP code.
   */
  async #onActiveTotp<R extends string>(
    state: MfaState,
    code: string,
    accepted: R,
    write: (record: MfaRecord, step: number) => MfaRecord | null,
  ): Promise<R | 'wrong-code' | 'not-enabled'> {
    const { userId } = state;
    return updateWithRetry<MfaRecord, R | 'wrong-code' | 'not-enabled'>(
      this.#store,
      mfaKey(userId),
      async (entry) => {
        if (entry === undefined || !mfaEnabled(entry.value)) return { result: 'not-enabled' };
        const active = entry.value.active;
        if (active === undefined) return { result: 'wrong-code' };
        const step = await this.#totpStep(userId, active, entry.value.lastStep, code);
        if (step === undefined) return { result: 'wrong-code' };
        return { write: write(entry.value, step), result: accepted };
      },
      { startFrom: state },
    );
  }

  /** Checks a TOTP code against the active secret, refusing replays; records its step. */
  checkTotp(state: MfaState, code: string): Promise<TotpOutcome> {
    return this.#onActiveTotp(state, code, 'accepted', (record, step) => ({
      ...record,
      lastStep: step,
    }));
  }

  /** Consumes one backup code if it matches (case, spaces and hyphens ignored). */
  async consumeBackupCode(state: MfaState, code: string): Promise<BackupCodeOutcome> {
    const hash = this.#hashCode(code);
    return updateWithRetry<MfaRecord, BackupCodeOutcome>(
      this.#store,
      mfaKey(state.userId),
      (entry) => {
        const stored = entry?.value.codes ?? [];
        if (entry === undefined || !mfaEnabled(entry.value) || stored.length === 0) {
          return { result: 'none-left' };
        }
        // Compare with every stored hash, so the time taken does not tell which one matched.
        let index = -1;
        stored.forEach((candidate, i) => {
          if (timingSafeEqual(candidate, hash)) index = i;
        });
        if (index < 0) return { result: 'wrong-code' };
        const codes = stored.filter((_, i) => i !== index);
        return { write: { ...entry.value, codes }, result: 'accepted' };
      },
      { startFrom: state },
    );
  }

  /**
   * Removes every factor of the user (TOTP, backup codes, passkeys) if `code` is a current,
   * unused TOTP code.
   */
  disable(state: MfaState, code: string): Promise<DisableOutcome> {
    return this.#onActiveTotp(state, code, 'disabled', () => null);
  }

  /**
   * Removes every factor of the user if `code` is one of the unused backup codes (spec §6 rule
   * 3: the way out for a user who lost the authenticator). Match and removal are one
   * compare-and-set, so a code cannot disable twice or be used for a login meanwhile.
   */
  async disableWithBackupCode(state: MfaState, code: string): Promise<DisableOutcome> {
    const hash = this.#hashCode(code);
    return updateWithRetry<MfaRecord, DisableOutcome>(
      this.#store,
      mfaKey(state.userId),
      (entry) => {
        if (entry === undefined || !mfaEnabled(entry.value)) return { result: 'not-enabled' };
        let matched = false;
        // Compare with every stored hash, so the time taken does not tell which one matched.
        for (const candidate of entry.value.codes ?? []) {
          if (timingSafeEqual(candidate, hash)) matched = true;
        }
        return matched ? { write: null, result: 'disabled' } : { result: 'wrong-code' };
      },
      { startFrom: state },
    );
  }

  /**
   * New backup codes replacing all others, in one write; with `totpCode`, only if that code
   * verifies (and its step is recorded against replay).
   */
  async regenerateBackupCodes(state: MfaState, totpCode?: string): Promise<RegenerateOutcome> {
    const { userId } = state;
    const codes = this.newCodes();
    return updateWithRetry<MfaRecord, RegenerateOutcome>(
      this.#store,
      mfaKey(userId),
      async (entry) => {
        if (entry === undefined || !mfaEnabled(entry.value)) {
          return { result: { outcome: 'not-enabled' } };
        }
        const active = entry.value.active;
        let { lastStep } = entry.value;
        if (totpCode !== undefined) {
          const step =
            active === undefined
              ? undefined
              : await this.#totpStep(userId, active, entry.value.lastStep, totpCode);
          if (step === undefined) return { result: { outcome: 'wrong-code' } };
          lastStep = step;
        }
        return {
          write: { ...entry.value, lastStep, codes: codes.hashed },
          result: { outcome: 'regenerated', codes: codes.plain },
        };
      },
      { startFrom: state },
    );
  }

  /** Enables MFA directly with a known secret and codes (seeding for tests and mocks). */
  async enrol(userId: string, secret: Uint8Array, backupCodes: readonly string[]): Promise<void> {
    const active = {
      secret: await this.#settings.encryption.seal(secret, mfaKey(userId)),
      enabledAt: new Date(this.#settings.now()).toISOString(),
    };
    const codes = backupCodes.map((code) => this.#hashCode(code));
    await updateWithRetry<MfaRecord, void>(this.#store, mfaKey(userId), (entry) => ({
      write: { ...(entry?.value ?? EMPTY), active, codes },
      result: undefined,
    }));
  }

  /** The active (or else pending) TOTP secret in plain bytes: for test tooling only. */
  async revealSecret(userId: string): Promise<Uint8Array | undefined> {
    const { active, pending } = (await this.load(userId)).entry?.value ?? EMPTY;
    const factor = active ?? pending;
    return factor === undefined
      ? undefined
      : (await this.#settings.encryption.open(factor.secret, mfaKey(userId))).plain;
  }
}

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
import { open, seal } from '../crypto/secret-box.js';
import { type Store, type StoreEntry, updateWithRetry } from '../store/store.js';

interface Factor {
  /** The TOTP secret, sealed with AES-256-GCM for this user. */
  secret: string;
  /** Keyed hashes of the unused backup codes. */
  codes: string[];
}

/** One record per user holds every MFA fact, so each change is one compare-and-set. */
export interface MfaRecord {
  /** The last accepted TOTP step (replay protection, spec §3 rule 1); -1 before any. */
  lastStep: number;
  pending?: Factor & { expiresAt: number };
  active?: Factor & { enabledAt: string };
}

export interface MfaSettings {
  pepper: Uint8Array;
  encryption: CryptoKey;
  issuer: string;
  now: () => number;
}

export interface MfaEnrolment {
  secret: string;
  uri: string;
  backupCodes: string[];
}

export type TotpOutcome = 'accepted' | 'rejected' | 'not-enabled';
export type BackupCodeOutcome = 'accepted' | 'rejected' | 'none-left' | 'not-enabled';

const mfaKey = (userId: string) => `mfa:${userId}`;
const EMPTY: MfaRecord = { lastStep: -1 };

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

  async #newCodes(): Promise<{ plain: string[]; hashed: string[] }> {
    const plain = generateBackupCodes(BACKUP_CODES.count, {
      length: BACKUP_CODES.length,
      alphabet: BACKUP_CODES.alphabet,
    });
    return { plain, hashed: plain.map((code) => this.#hashCode(code)) };
  }

  async #record(userId: string): Promise<MfaRecord> {
    return (await this.#store.get<MfaRecord>(mfaKey(userId)))?.value ?? EMPTY;
  }

  async status(userId: string): Promise<{ enabled: boolean; backupCodesRemaining: number }> {
    const { active } = await this.#record(userId);
    return { enabled: active !== undefined, backupCodesRemaining: active?.codes.length ?? 0 };
  }

  /** True while a setup waits for its confirming code (and has not expired). */
  async hasPendingSetup(userId: string): Promise<boolean> {
    const { pending } = await this.#record(userId);
    return pending !== undefined && pending.expiresAt > this.#settings.now();
  }

  async isEnabled(userId: string): Promise<boolean> {
    return (await this.#record(userId)).active !== undefined;
  }

  /**
   * Stores a new pending secret and codes (replacing any earlier pending pair together, rule 7);
   * undefined when MFA is already enabled (rule 4).
   */
  async startSetup(userId: string, account: string): Promise<MfaEnrolment | undefined> {
    const secret = generateSecret(TOTP.secretBytes);
    const codes = await this.#newCodes();
    const sealed = await seal(this.#settings.encryption, secret, mfaKey(userId));
    const expiresAt = this.#settings.now() + LIFETIMES.pendingSetup;
    const started = await updateWithRetry<MfaRecord, boolean>(
      this.#store,
      mfaKey(userId),
      (entry) => {
        const record = entry?.value ?? EMPTY;
        if (record.active !== undefined) return { result: false };
        return {
          write: { ...record, pending: { secret: sealed, codes: codes.hashed, expiresAt } },
          result: true,
        };
      },
    );
    if (!started) return undefined;
    const base32 = base32Encode(secret);
    return {
      secret: base32,
      uri: buildKeyUri({ secret, account, issuer: this.#settings.issuer }),
      backupCodes: codes.plain,
    };
  }

  /** Checks `code` against a TOTP secret and records its step in the same compare-and-set. */
  async #acceptTotp(
    userId: string,
    code: string,
    pick: (record: MfaRecord) => Factor | undefined,
    apply: (record: MfaRecord, step: number) => MfaRecord,
  ): Promise<TotpOutcome> {
    return updateWithRetry<MfaRecord, TotpOutcome>(
      this.#store,
      mfaKey(userId),
      async (entry: StoreEntry<MfaRecord> | undefined) => {
        const record = entry?.value;
        const factor = record === undefined ? undefined : pick(record);
        if (record === undefined || factor === undefined) return { result: 'not-enabled' };
        const secret = await open(this.#settings.encryption, factor.secret, mfaKey(userId));
        const result = verifyTotp(secret, code, {
          time: this.#settings.now(),
          window: TOTP.window,
          lastUsedStep: record.lastStep,
        });
        if (!result.ok) return { result: 'rejected' };
        return { write: apply(record, result.step), result: 'accepted' };
      },
    );
  }

  /** Activates the pending pair if `code` verifies against it (one atomic write). */
  async activate(userId: string, code: string): Promise<TotpOutcome> {
    const now = this.#settings.now();
    return this.#acceptTotp(
      userId,
      code,
      (record) =>
        record.pending !== undefined && record.pending.expiresAt > now ? record.pending : undefined,
      (record, step) => {
        const { secret, codes } = record.pending as Factor;
        return {
          lastStep: step,
          active: { secret, codes, enabledAt: new Date(now).toISOString() },
        };
      },
    );
  }

  /** Checks a TOTP code against the active secret, refusing replays. */
  async checkTotp(userId: string, code: string): Promise<TotpOutcome> {
    return this.#acceptTotp(
      userId,
      code,
      (record) => record.active,
      (record, step) => ({ ...record, lastStep: step }),
    );
  }

  /** Consumes one backup code if it matches (case, spaces and hyphens ignored). */
  async consumeBackupCode(userId: string, code: string): Promise<BackupCodeOutcome> {
    const hash = this.#hashCode(code);
    return updateWithRetry<MfaRecord, BackupCodeOutcome>(this.#store, mfaKey(userId), (entry) => {
      const active = entry?.value.active;
      if (entry === undefined || active === undefined) return { result: 'not-enabled' };
      if (active.codes.length === 0) return { result: 'none-left' };
      // Compare with every stored hash, so the time taken does not tell which one matched.
      let index = -1;
      active.codes.forEach((stored, i) => {
        if (timingSafeEqual(stored, hash)) index = i;
      });
      if (index < 0) return { result: 'rejected' };
      const codes = active.codes.filter((_, i) => i !== index);
      return { write: { ...entry.value, active: { ...active, codes } }, result: 'accepted' };
    });
  }

  /** New backup codes replacing all others; undefined when MFA is not enabled. */
  async regenerateBackupCodes(userId: string): Promise<string[] | undefined> {
    const codes = await this.#newCodes();
    const done = await updateWithRetry<MfaRecord, boolean>(this.#store, mfaKey(userId), (entry) => {
      const active = entry?.value.active;
      if (entry === undefined || active === undefined) return { result: false };
      return {
        write: { ...entry.value, active: { ...active, codes: codes.hashed } },
        result: true,
      };
    });
    return done ? codes.plain : undefined;
  }

  /** Enables MFA directly with a known secret and codes (seeding for tests and mocks). */
  async enrol(userId: string, secret: Uint8Array, backupCodes: readonly string[]): Promise<void> {
    const record: MfaRecord = {
      lastStep: -1,
      active: {
        secret: await seal(this.#settings.encryption, secret, mfaKey(userId)),
        codes: backupCodes.map((code) => this.#hashCode(code)),
        enabledAt: new Date(this.#settings.now()).toISOString(),
      },
    };
    await this.#store.set(mfaKey(userId), record);
  }

  /** The active (or else pending) TOTP secret in plain bytes: for test tooling only. */
  async revealSecret(userId: string): Promise<Uint8Array | undefined> {
    const { active, pending } = await this.#record(userId);
    const factor = active ?? pending;
    return factor === undefined
      ? undefined
      : open(this.#settings.encryption, factor.secret, mfaKey(userId));
  }

  /** Removes every MFA record of the user. */
  async disable(userId: string): Promise<void> {
    await this.#store.delete(mfaKey(userId));
  }
}

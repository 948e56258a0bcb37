import { BACKUP_CODES, TOTP } from '@twofold/contract';
import { base32Decode, base32Encode, generateBackupCodes, generateSecret } from '@twofold/otp';
import type { Services } from './services.js';

/** A user to seed; `mfa` enables TOTP with the given (or generated) secret and backup codes. */
export interface SeedUser {
  username: string;
  email: string;
  password: string;
  emailVerified?: boolean;
  mfa?: { secret?: string; backupCodes?: string[] };
}

/** A credential to store for a user without a ceremony (e.g. from a software authenticator). */
export interface SeedPasskey {
  /** base64url credential id. */
  credentialId: string;
  /** base64url COSE public key. */
  publicKey: string;
  /** Sign counter (default 0). */
  counter?: number;
  transports?: string[];
  name?: string;
  aaguid?: string;
  backupEligible?: boolean;
  backedUp?: boolean;
}

/** A user's passkey as the server keeps it. */
export interface PasskeyInfo {
  credentialId: string;
  name: string;
  counter: number;
  transports: string[];
  aaguid: string;
  backupEligible: boolean;
  backedUp: boolean;
  createdAt: string;
  lastUsedAt?: string;
}

export interface SeededUser {
  id: string;
  username: string;
  email: string;
  /** Base32 TOTP secret, when MFA was enabled. */
  secret?: string;
  backupCodes?: string[];
}

/**
 * Out-of-band access for tests, mocks and fixtures: seeding users and reading a TOTP secret.
 * It writes through the same services the routes use, so seeded state behaves exactly like
 * state created over HTTP. Never expose it over the network.
 */
export interface ServerAdmin {
  createUser(input: SeedUser): Promise<SeededUser>;
  /** The base32 TOTP secret of the user (active, or else pending setup), if any. */
  totpSecret(username: string): Promise<string | undefined>;
  /**
   * Stores a passkey for the user as a completed registration would (MFA turns on; backup
   * codes are made when it is the first factor, and returned). Needs `webauthn` configured.
   */
  addPasskey(username: string, passkey: SeedPasskey): Promise<{ backupCodes?: string[] }>;
  /** The user's passkeys, with their sign counters. */
  passkeys(username: string): Promise<PasskeyInfo[]>;
  /**
   * Tries every queued email that is due now, as the mail worker does every second; how many
   * went out. For tests on a controlled clock (a retry is due 5 s after a failure, then 10, 20…).
   */
  deliverQueuedMail(): Promise<number>;
}

export function createAdmin(services: Promise<Services>): ServerAdmin {
  return {
    async createUser(input) {
      const { users, passwordHasher, mfa } = await services;
      const user = await users.create({
        username: input.username,
        email: input.email,
        passwordHash: await passwordHasher.hash(input.password),
      });
      if (user === undefined)
        throw new Error(`a user named ${input.username} or with ${input.email} exists already`);
      if (input.emailVerified) await users.markEmailVerified(user.id);
      const seeded: SeededUser = { id: user.id, username: user.username, email: user.email };
      if (input.mfa !== undefined) {
        const secret =
          input.mfa.secret === undefined
            ? generateSecret(TOTP.secretBytes)
            : base32Decode(input.mfa.secret);
        const backupCodes =
          input.mfa.backupCodes ??
          generateBackupCodes(BACKUP_CODES.count, {
            length: BACKUP_CODES.length,
            alphabet: BACKUP_CODES.alphabet,
          });
        await mfa.enrol(user.id, secret, backupCodes);
        seeded.secret = base32Encode(secret);
        seeded.backupCodes = [...backupCodes];
      }
      return seeded;
    },
    async addPasskey(username, passkey) {
      const { users, passkeys, config } = await services;
      if (passkeys === undefined) throw new Error('passkeys need the `webauthn` option');
      const user = await users.findByUsername(username);
      if (user === undefined) throw new Error(`no user named ${username}`);
      const added = await passkeys.add(user.id, {
        id: passkey.credentialId,
        publicKey: passkey.publicKey,
        counter: passkey.counter ?? 0,
        transports: passkey.transports ?? [],
        aaguid: passkey.aaguid ?? '00000000-0000-0000-0000-000000000000',
        backupEligible: passkey.backupEligible ?? false,
        backedUp: passkey.backedUp ?? false,
        name: passkey.name ?? 'Passkey',
        createdAt: new Date(config.now()).toISOString(),
      });
      if (added === false)
        throw new Error(`credential ${passkey.credentialId} belongs to another user`);
      return added === true ? {} : { backupCodes: added };
    },
    async passkeys(username) {
      const { users, mfa } = await services;
      const user = await users.findByUsername(username);
      if (user === undefined) throw new Error(`no user named ${username}`);
      return (await mfa.load(user.id)).passkeys.map((passkey) => ({
        credentialId: passkey.id,
        name: passkey.name,
        counter: passkey.counter,
        transports: [...passkey.transports],
        aaguid: passkey.aaguid,
        backupEligible: passkey.backupEligible,
        backedUp: passkey.backedUp,
        createdAt: passkey.createdAt,
        ...(passkey.lastUsedAt === undefined ? {} : { lastUsedAt: passkey.lastUsedAt }),
      }));
    },
    async totpSecret(username) {
      const { users, mfa } = await services;
      const user = await users.findByUsername(username);
      const secret = user === undefined ? undefined : await mfa.revealSecret(user.id);
      return secret === undefined ? undefined : base32Encode(secret);
    },
    async deliverQueuedMail() {
      return (await services).mail.runOnce();
    },
  };
}

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
    async totpSecret(username) {
      const { users, mfa } = await services;
      const user = await users.findByUsername(username);
      const secret = user === undefined ? undefined : await mfa.revealSecret(user.id);
      return secret === undefined ? undefined : base32Encode(secret);
    },
  };
}

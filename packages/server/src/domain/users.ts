import { randomId } from '../crypto/random.js';
import { type Store, updateWithRetry } from '../store/store.js';
import type { SessionClaims } from './tokens.js';

/** A stored account. */
export interface UserRecord {
  id: string;
  username: string;
  email: string;
  emailVerified: boolean;
  passwordHash: string;
  roles: string[];
  permissions: string[];
  createdAt: string;
  /** The one live email verification token, as a keyed hash (a new one replaces it). */
  emailToken?: { hash: string; email: string; expiresAt: number };
  /**
   * Set when the user's other sessions were ended (MFA turned on or off): tokens of an older
   * generation are refused, except those of the session `kept`, which made the change.
   */
  sessions?: { generation: number; kept: string };
}

/** Whether a token of `session` still holds for `user` (no later change ended it). */
export function sessionIsCurrent(user: UserRecord, session: SessionClaims): boolean {
  const { generation, kept } = user.sessions ?? { generation: 0, kept: '' };
  return session.generation === generation || (session.id !== '' && session.id === kept);
}

/** Usernames and email addresses are unique without regard to case. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
const normalizeUsername = (username: string): string => username.toLowerCase();

export const userKey = (id: string) => `user:${id}`;
const usernameKey = (username: string) => `user-by-name:${normalizeUsername(username)}`;
const emailKey = (email: string) => `user-by-email:${normalizeEmail(email)}`;

/** Accounts in the store, with unique usernames and addresses claimed by atomic inserts. */
export class Users {
  readonly #store: Store;
  readonly #now: () => number;

  constructor(store: Store, now: () => number) {
    this.#store = store;
    this.#now = now;
  }

  /** The new account, or undefined when the username or the address is taken. */
  async create(input: {
    username: string;
    email: string;
    passwordHash: string;
  }): Promise<UserRecord | undefined> {
    const user: UserRecord = {
      id: randomId('user'),
      username: input.username,
      email: input.email.trim(),
      emailVerified: false,
      passwordHash: input.passwordHash,
      roles: ['user'],
      permissions: [],
      createdAt: new Date(this.#now()).toISOString(),
    };
    // One atomic write: the account, its username and its address exist together or not at
    // all (a crash between separate writes could leave an account without its address claim).
    const created = await this.#store.insertAll([
      { key: userKey(user.id), value: user },
      { key: usernameKey(user.username), value: user.id },
      { key: emailKey(user.email), value: user.id },
    ]);
    if (!created) return undefined;
    return user;
  }

  async get(id: string): Promise<UserRecord | undefined> {
    return (await this.#store.get<UserRecord>(userKey(id)))?.value;
  }

  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const id = (await this.#store.get<string>(usernameKey(username)))?.value;
    return id === undefined ? undefined : this.get(id);
  }

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    const id = (await this.#store.get<string>(emailKey(email)))?.value;
    // Two reads whether or not the address exists: resend must not tell them apart by time.
    return this.get(id ?? '~no-such-user');
  }

  /**
   * Ends every session of the user but `keep` (the one making the change): their access and
   * refresh tokens are refused from now on (issue 14 item 10: a token stolen before MFA was
   * turned on must not outlive it).
   */
  async endOtherSessions(id: string, keep: SessionClaims): Promise<void> {
    await updateWithRetry<UserRecord, void>(this.#store, userKey(id), (entry) => {
      if (entry === undefined) return { result: undefined };
      const generation = (entry.value.sessions?.generation ?? 0) + 1;
      return {
        write: { ...entry.value, sessions: { generation, kept: keep.id } },
        result: undefined,
      };
    });
  }

  /** Marks the address verified without a token (seeding for tests and mocks). */
  async markEmailVerified(id: string): Promise<void> {
    await updateWithRetry<UserRecord, void>(this.#store, userKey(id), (entry) =>
      entry === undefined
        ? { result: undefined }
        : { write: { ...entry.value, emailVerified: true }, result: undefined },
    );
  }

  /** Records a new verification token for the user's current address, replacing any older one. */
  async setEmailToken(
    id: string,
    hash: string,
    expiresAt: number,
  ): Promise<UserRecord | undefined> {
    return updateWithRetry<UserRecord, UserRecord | undefined>(
      this.#store,
      userKey(id),
      (entry) => {
        if (entry === undefined) return { result: undefined };
        const user = {
          ...entry.value,
          emailToken: { hash, email: normalizeEmail(entry.value.email), expiresAt },
        };
        return { write: user, result: user };
      },
    );
  }

  /**
   * Spends the user's verification token and marks the address verified, in one
   * compare-and-set: of concurrent callers with the same token exactly one succeeds. False when
   * the token is not the user's live one, has expired, or was sent to an address the account
   * no longer has.
   */
  async verifyEmailWithToken(id: string, hash: string): Promise<boolean> {
    return updateWithRetry<UserRecord, boolean>(this.#store, userKey(id), (entry) => {
      const token = entry?.value.emailToken;
      if (entry === undefined || token === undefined || token.hash !== hash)
        return { result: false };
      if (token.expiresAt <= this.#now() || token.email !== normalizeEmail(entry.value.email)) {
        return { result: false };
      }
      const { emailToken: _spent, ...user } = entry.value;
      return { write: { ...user, emailVerified: true }, result: true };
    });
  }
}

import { boundedHasher } from './crypto/bounded-hasher.js';
import { checkKeys } from './crypto/key-check.js';
import { defaultPasswordHasher, type PasswordHasher } from './crypto/password-hasher.js';
import { randomToken } from './crypto/random.js';
import { deriveServerKeys } from './crypto/server-keys.js';
import { AttemptLimiter } from './domain/attempt-limiter.js';
import { Challenges } from './domain/challenges.js';
import { EmailTokens } from './domain/email-tokens.js';
import { MfaService } from './domain/mfa.js';
import { PasskeyService } from './domain/passkeys.js';
import { PasswordGuard } from './domain/password-guard.js';
import { TokenService } from './domain/tokens.js';
import { Users } from './domain/users.js';
import { DevOutbox, outboxMailer } from './mail/dev-outbox.js';
import { MailQueue } from './mail/mail-queue.js';
import type { Mailer } from './mail/mailer.js';
import {
  describeVerificationJob,
  type VerificationJob,
  verificationDelivery,
} from './mail/verification-mail.js';
import type { Logger, ServerConfig } from './options.js';
import { MemoryStore } from './store/memory-store.js';
import type { Store } from './store/store.js';

/** Everything handlers use, built once per server from the resolved options. */
export interface Services {
  store: Store;
  users: Users;
  mfa: MfaService;
  /** Undefined when the server has no WebAuthn relying party configured. */
  passkeys: PasskeyService | undefined;
  tokens: TokenService;
  challenges: Challenges;
  attempts: AttemptLimiter;
  /** Password checks counted against the guess limits (spec §6 rule 4). */
  passwords: PasswordGuard;
  emailTokens: EmailTokens;
  /** Verification emails, written to the store before they are sent (issue 14 item 6). */
  mail: MailQueue<VerificationJob, { token: string }>;
  outbox: DevOutbox;
  passwordHasher: PasswordHasher;
  /** A hash of a random password, checked when a username is unknown so timing does not tell. */
  decoyPasswordHash: Promise<string>;
  /** The settings handlers read; keys, mailer and hasher reach them only as the services above. */
  config: HandlerConfig;
}

/** What of the resolved options the services consume, so handlers cannot bypass them. */
type ConsumedByServices =
  | 'secret'
  | 'encryptionKey'
  | 'previousEncryptionKeys'
  | 'mailer'
  | 'passwordHasher';
export type HandlerConfig = Omit<ServerConfig, ConsumedByServices>;

/** In development the outbox records every email; a configured mailer also delivers it. */
function developmentMailer(outbox: DevOutbox, mailer: Mailer | undefined, logger: Logger): Mailer {
  const record = outboxMailer(outbox, (line) => logger.info(line));
  if (mailer === undefined) return record;
  return {
    async send(email) {
      await record.send(email);
      await mailer.send(email);
    },
  };
}

export async function buildServices(
  config: ServerConfig,
  given: Store | (() => Promise<Store>) | undefined,
): Promise<Services> {
  const {
    secret,
    encryptionKey,
    previousEncryptionKeys,
    mailer,
    passwordHasher: hasher,
    ...handlerConfig
  } = config;
  const { now, limits } = config;
  const store = typeof given === 'function' ? await given() : (given ?? new MemoryStore({ now }));
  await checkKeys(store, secret, encryptionKey, previousEncryptionKeys);
  const keys = await deriveServerKeys(secret, encryptionKey, previousEncryptionKeys);
  const passwordHasher = boundedHasher(
    hasher ?? defaultPasswordHasher(),
    config.maxConcurrentPasswordHashes,
  );
  const outbox = new DevOutbox(store);
  const decoyPasswordHash = passwordHasher.hash(randomToken());
  decoyPasswordHash.catch(() => {});
  const users = new Users(store, now);
  const emailTokens = new EmailTokens(store, users, keys.pepper, now);
  // resolveOptions has made sure production has a mailer.
  const sender = config.development
    ? developmentMailer(outbox, mailer, config.logger)
    : (mailer as Mailer);
  const mfa = new MfaService(store, {
    pepper: keys.pepper,
    encryption: keys.encryption,
    issuer: config.totpIssuer,
    now,
  });
  return {
    store,
    users,
    mfa,
    passkeys:
      config.webauthn === undefined
        ? undefined
        : new PasskeyService(store, config.webauthn, mfa, now, config.logger),
    tokens: new TokenService(
      {
        key: keys.jwt,
        issuer: config.tokenIssuer,
        audience: config.tokenAudience,
        accessTtlSeconds: config.accessTokenTtlSeconds,
        refreshTtlSeconds: config.refreshTokenTtlSeconds,
        now,
      },
      store,
    ),
    challenges: new Challenges(store, now),
    passwords: new PasswordGuard(
      store,
      {
        windowMs: limits.attemptWindowMs,
        perAccountAndClient: limits.passwordGuessesPerAccountAndClient,
        perAccount: limits.passwordGuessesPerAccount,
        perClient: limits.passwordGuessesPerClient,
      },
      now,
    ),
    attempts: new AttemptLimiter(
      store,
      {
        windowMs: limits.attemptWindowMs,
        perUser: limits.attemptsPerUser,
        perClient: limits.attemptsPerClient,
      },
      now,
    ),
    emailTokens,
    mail: new MailQueue(store, {
      deliver: verificationDelivery({
        users,
        emailTokens,
        mailer: sender,
        verifyUrl: config.verifyUrl,
        productName: config.productName,
        now,
      }),
      describe: describeVerificationJob,
      now,
      logger: config.logger,
    }),
    outbox,
    passwordHasher,
    decoyPasswordHash,
    config: handlerConfig,
  };
}

import { MESSAGES } from '@twofold/contract';
import type { PasswordHasher } from '../crypto/password-hasher.js';
import type { AttemptLimiter } from '../domain/attempt-limiter.js';
import type { Challenges } from '../domain/challenges.js';
import type { EmailTokens } from '../domain/email-tokens.js';
import type { MfaService } from '../domain/mfa.js';
import type { TokenService, VerifiedToken } from '../domain/tokens.js';
import type { UserRecord, Users } from '../domain/users.js';
import { ApiError } from '../http/api-error.js';
import type { DevOutbox } from '../mail/dev-outbox.js';
import type { Mailer } from '../mail/mailer.js';
import type { Logger } from '../options.js';
import type { Store } from '../store/store.js';

/** Everything handlers use, built once per server. */
export interface Services {
  store: Store;
  users: Users;
  mfa: MfaService;
  tokens: TokenService;
  challenges: Challenges;
  attempts: AttemptLimiter;
  emailTokens: EmailTokens;
  outbox: DevOutbox;
  mailer: Mailer;
  passwordHasher: PasswordHasher;
  /** A hash of a random password, checked when a username is unknown so timing does not tell. */
  decoyPasswordHash: Promise<string>;
  logger: Logger;
  now: () => number;
  config: {
    development: boolean;
    exposeVerificationTokens: boolean;
    sendVerificationOnRegister: boolean;
    requireStepUpForBackupCodes: boolean;
    totpAccount: (user: UserRecord) => string;
    publicUrl: string;
    productName: string;
    resendPerMinute: number;
    resendPerDay: number;
  };
}

/** One request as handlers see it. */
export interface RequestContext {
  request: Request;
  url: URL;
  /** The parsed JSON body (`{}` when empty); validated by the handler. */
  body: unknown;
  /** The address attempts are counted against; undefined when the adapter gave none. */
  client: string | undefined;
  services: Services;
}

const BEARER = /^bearer +(\S+)$/i;

/** The bearer token of the request, if any (scheme matched case-insensitively, RFC 7235). */
export function bearerToken(request: Request): string | undefined {
  return BEARER.exec(request.headers.get('Authorization') ?? '')?.[1];
}

/** The user of a valid access token, or `UNAUTHORIZED` / `INVALID_TOKEN`. */
export async function authenticate(
  context: RequestContext,
): Promise<{ user: UserRecord; token: VerifiedToken }> {
  const raw = bearerToken(context.request);
  if (raw === undefined) throw new ApiError('UNAUTHORIZED', MESSAGES.authRequired);
  const token = await context.services.tokens.verify(raw, 'access');
  const user = token === undefined ? undefined : await context.services.users.get(token.userId);
  if (token === undefined || user === undefined)
    throw new ApiError('INVALID_TOKEN', MESSAGES.tokenInvalid);
  return { user, token };
}

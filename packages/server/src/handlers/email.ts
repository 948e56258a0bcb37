import { isPlainEmail, MESSAGES } from '@twofold/contract';
import { hitEach, type LimitWindow } from '../domain/limit-windows.js';
import { normalizeEmail, type UserRecord } from '../domain/users.js';
import { ApiError } from '../http/api-error.js';
import { composeVerificationEmail } from '../mail/mailer.js';
import type { Services } from '../services.js';
import { keyPart } from '../store/store.js';
import type { Handler } from './handler.js';

const DAY_MS = 24 * 60 * 60_000;

/**
 * The link of a verification email: `template` with `{token}` replaced by the URL-encoded
 * token. A function replacement, so `$&` and the like in a token stay literal.
 */
export function verificationLink(template: string, token: string): string {
  return template.replace('{token}', () => encodeURIComponent(token));
}

/** Issues a token (invalidating older ones) and emails it; returns the token. */
export async function sendVerificationEmail(services: Services, user: UserRecord): Promise<string> {
  const { emailTokens, mailer, config } = services;
  const token = await emailTokens.issue(user.id);
  if (token === undefined) throw new ApiError('USER_NOT_FOUND', 'User not found');
  const link = verificationLink(config.verifyUrl, token);
  const sentAt = new Date(config.now());
  await mailer.send(composeVerificationEmail(user.email, token, link, config.productName, sentAt));
  return token;
}

/** Counts one use of every allowance, or of none; throws {@link LimitExceeded} past any. */
async function spend(services: Services, ...windows: LimitWindow[]) {
  await hitEach(services.store, windows, services.config.now);
}

export const send: Handler<'email.send'> = async ({ user, services }) => {
  const { config } = services;
  if (user.emailVerified) {
    return { sent: false, verification_token: '', message: MESSAGES.emailAlreadyVerified };
  }
  // An access token must not make the server a mail cannon (30 calls were 30 deliveries).
  await spend(
    services,
    { key: `send:minute:${user.id}`, windowMs: 60_000, limit: config.limits.sendPerMinute },
    { key: `send:day:${user.id}`, windowMs: DAY_MS, limit: config.limits.sendPerDay },
  );
  let token: string;
  try {
    token = await sendVerificationEmail(services, user);
  } catch (error) {
    config.logger.error(`verification email to ${user.email} failed`, error);
    throw new ApiError('EMAIL_DELIVERY_FAILED', MESSAGES.emailDeliveryFailed);
  }
  return {
    sent: true,
    verification_token: config.exposeVerificationTokens ? token : '',
    message: MESSAGES.verificationSent,
  };
};

export const verify: Handler<'email.verify'> = async ({ body, services }) => {
  const userId = await services.emailTokens.redeem(body.token);
  if (userId === undefined) throw new ApiError('INVALID_TOKEN', MESSAGES.verificationTokenInvalid);
  return { verified: true, user_id: userId, message: MESSAGES.emailVerified };
};

/**
 * Answers alike for unknown, verified and unverified addresses (rule 2): the limits count
 * every request, the body never varies, and the email goes out in the background so its
 * latency does not reveal that the account exists. Delivery failures are logged.
 */
export const resend: Handler<'email.resend'> = async ({ body, services, client }) => {
  const { users, emailTokens, config } = services;
  const { limits } = config;
  const address = normalizeEmail(body.email);
  // One address asking for many mailboxes would grow the counters below without bound.
  if (client !== undefined) {
    await spend(services, {
      key: `resend:client:${keyPart(client)}`,
      windowMs: 60 * 60_000,
      limit: limits.resendPerClientPerHour,
    });
  }
  await spend(
    services,
    { key: `resend:minute:${address}`, windowMs: 60_000, limit: limits.resendPerMinute },
    { key: `resend:day:${address}`, windowMs: DAY_MS, limit: limits.resendPerDay },
  );
  const user = await users.findByEmail(address);
  if (user !== undefined && !user.emailVerified) {
    sendVerificationEmail(services, user).catch((error: unknown) =>
      config.logger.error(`verification email to ${user.email} failed`, error),
    );
  } else {
    emailTokens.decoy();
  }
  return { sent: true, verification_token: '', message: MESSAGES.resendAccepted };
};

export const outbox: Handler<'dev.outbox'> = async ({ url, services }) => {
  const to = url.searchParams.get('to');
  if (!to) throw new ApiError('VALIDATION_ERROR', "Query parameter 'to' is required");
  // An address no account can have: nothing was sent to it (and nothing odd reaches the store).
  if (!isPlainEmail(to)) return [];
  return services.outbox.list(to);
};

import {
  type EmailSendData,
  type EmailVerifiedData,
  MESSAGES,
  type OutboxEntry,
  type SuccessEnvelope,
  successData,
} from '@twofold/contract';
import { normalizeEmail, type UserRecord } from '../domain/users.js';
import { ApiError, rateLimited } from '../http/api-error.js';
import { composeVerificationEmail } from '../mail/mailer.js';
import { authenticate, type RequestContext } from './context.js';
import { validated } from './validated.js';

const DAY_MS = 24 * 60 * 60_000;

/** Issues a token (invalidating older ones) and emails it; returns the token. */
export async function sendVerificationEmail(
  context: RequestContext,
  user: UserRecord,
): Promise<string> {
  const { emailTokens, mailer, config } = context.services;
  const token = await emailTokens.issue(user.id);
  if (token === undefined) throw new ApiError('USER_NOT_FOUND', 'User not found');
  const link = `${config.publicUrl}/verify-email?token=${encodeURIComponent(token)}`;
  await mailer.send(composeVerificationEmail(user.email, token, link, config.productName));
  return token;
}

export async function send(context: RequestContext): Promise<SuccessEnvelope<EmailSendData>> {
  const { user } = await authenticate(context);
  if (user.emailVerified) {
    return successData({
      sent: false,
      verification_token: '',
      message: MESSAGES.emailAlreadyVerified,
    });
  }
  let token: string;
  try {
    token = await sendVerificationEmail(context, user);
  } catch (error) {
    context.services.logger.error(`verification email to ${user.email} failed`, error);
    throw new ApiError('EMAIL_DELIVERY_FAILED', MESSAGES.emailDeliveryFailed);
  }
  return successData({
    sent: true,
    verification_token: context.services.config.exposeVerificationTokens ? token : '',
    message: MESSAGES.verificationSent,
  });
}

export async function verify(context: RequestContext): Promise<SuccessEnvelope<EmailVerifiedData>> {
  const { token } = validated('email.verify', context);
  const userId = await context.services.emailTokens.redeem(token);
  if (userId === undefined) throw new ApiError('INVALID_TOKEN', MESSAGES.verificationTokenInvalid);
  return successData({ verified: true, user_id: userId, message: MESSAGES.emailVerified });
}

/**
 * Answers alike for unknown, verified and unverified addresses (rule 2): the limits count
 * every request, the body never varies, and the email goes out in the background so its
 * latency does not reveal that the account exists. Delivery failures are logged.
 */
export async function resend(context: RequestContext): Promise<SuccessEnvelope<EmailSendData>> {
  const { email } = validated('email.resend', context);
  const { store, users, emailTokens, logger, config, now } = context.services;
  const address = normalizeEmail(email);
  // The daily count only sees requests the per-minute limit let through.
  const minute = await store.increment(`resend:minute:${address}`, 60_000);
  if (minute.count > config.resendPerMinute)
    throw rateLimited(MESSAGES.rateLimited, minute.resetAt - now());
  const day = await store.increment(`resend:day:${address}`, DAY_MS);
  const blockedUntil = day.count > config.resendPerDay ? day.resetAt : 0;
  if (blockedUntil > 0) throw rateLimited(MESSAGES.rateLimited, blockedUntil - now());
  const user = await users.findByEmail(address);
  if (user !== undefined && !user.emailVerified) {
    sendVerificationEmail(context, user).catch((error: unknown) =>
      logger.error(`verification email to ${user.email} failed`, error),
    );
  } else {
    emailTokens.decoy();
  }
  return successData({ sent: true, verification_token: '', message: MESSAGES.resendAccepted });
}

export async function outbox(context: RequestContext): Promise<SuccessEnvelope<OutboxEntry[]>> {
  const to = context.url.searchParams.get('to');
  if (!to) throw new ApiError('VALIDATION_ERROR', "Query parameter 'to' is required");
  return successData(await context.services.outbox.list(to));
}

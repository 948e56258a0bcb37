import { isPlainEmail, MESSAGES } from '@twofold/contract';
import { hitEach, type LimitWindow } from '../domain/limit-windows.js';
import { normalizeEmail } from '../domain/users.js';
import { ApiError } from '../http/api-error.js';
import type { Services } from '../services.js';
import { keyPart } from '../store/store.js';
import type { Handler } from './handler.js';

const DAY_MS = 24 * 60 * 60_000;

/** Counts one use of every allowance, or of none; throws {@link LimitExceeded} past any. */
async function spend(services: Services, ...windows: LimitWindow[]) {
  await hitEach(services.store, windows, services.config.now);
}

export const send: Handler<'email.send'> = async ({ user, services }) => {
  const { config, mail } = services;
  if (user.emailVerified) {
    return { sent: false, verification_token: '', message: MESSAGES.emailAlreadyVerified };
  }
  // An access token must not make the server a mail cannon (30 calls were 30 deliveries).
  await spend(
    services,
    { key: `send:minute:${user.id}`, windowMs: 60_000, limit: config.limits.sendPerMinute },
    { key: `send:day:${user.id}`, windowMs: DAY_MS, limit: config.limits.sendPerDay },
  );
  // Written to the store first: a relay that refuses it now gets it again later, and the
  // user's older token keeps working until this one is accepted (spec §4 rule 3).
  const delivered = await mail.deliverNow(await mail.enqueue({ userId: user.id, to: user.email }));
  if (delivered === undefined) {
    return { sent: true, verification_token: '', message: MESSAGES.verificationQueued };
  }
  return {
    sent: true,
    verification_token: config.exposeVerificationTokens ? delivered.token : '',
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
 * every request, the body never varies, and the request does the same work for every address —
 * one queued job. Whether the address has an account is looked up by the mail worker, off the
 * request path (issue 14 item 8).
 */
export const resend: Handler<'email.resend'> = async ({ body, services, client }) => {
  const { mail, config } = services;
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
  await mail.enqueue({ address });
  mail.kick();
  return { sent: true, verification_token: '', message: MESSAGES.resendAccepted };
};

export const outbox: Handler<'dev.outbox'> = async ({ url, services }) => {
  const to = url.searchParams.get('to');
  if (!to) throw new ApiError('VALIDATION_ERROR', "Query parameter 'to' is required");
  // An address no account can have: nothing was sent to it (and nothing odd reaches the store).
  if (!isPlainEmail(to)) return [];
  return services.outbox.list(to);
};

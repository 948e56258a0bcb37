import type { EmailTokens } from '../domain/email-tokens.js';
import type { Users } from '../domain/users.js';
import type { Delivery } from './mail-queue.js';
import { composeVerificationEmail, type Mailer } from './mailer.js';

/**
 * A verification email to send: to a user (send, registration; `to` is their address when it
 * was queued, for the log), or to whoever has an address (resend).
 */
export type VerificationJob = { userId: string; to: string } | { address: string };

/**
 * The link of a verification email: `template` with `{token}` replaced by the URL-encoded
 * token. A function replacement, so `$&` and the like in a token stay literal.
 */
export function verificationLink(template: string, token: string): string {
  return template.replace('{token}', () => encodeURIComponent(token));
}

export interface VerificationSender {
  users: Users;
  emailTokens: EmailTokens;
  mailer: Mailer;
  verifyUrl: string;
  productName: string;
  now: () => number;
}

/**
 * Sends the verification email of a queued job: who it is for is looked up only now, in the
 * worker, so a resend request does the same work for every address (no enumeration by timing,
 * spec §4 rule 2). An address with no account, or one verified meanwhile, gets nothing. The new
 * token replaces the old one only once the relay took the email.
 */
export function verificationDelivery(
  sender: VerificationSender,
): (job: VerificationJob) => Promise<Delivery<{ token: string }>> {
  const { users, emailTokens, mailer, verifyUrl, productName, now } = sender;
  return async (job) => {
    const user =
      'userId' in job ? await users.get(job.userId) : await users.findByEmail(job.address);
    if (user === undefined || user.emailVerified) return 'dropped';
    const { token, hash } = emailTokens.prepare();
    const link = verificationLink(verifyUrl, token);
    await mailer.send(
      composeVerificationEmail(user.email, token, link, productName, new Date(now())),
    );
    if (!(await emailTokens.activate(user.id, hash))) return 'dropped';
    return { sent: { token } };
  };
}

/** How a job is named in the log: its address, never a token. */
export const describeVerificationJob = (job: VerificationJob): string =>
  'userId' in job ? job.to : job.address;

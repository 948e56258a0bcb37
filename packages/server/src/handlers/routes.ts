import type { Envelope, RouteId } from '@twofold/contract';
import * as auth from './auth.js';
import type { RequestContext } from './context.js';
import * as email from './email.js';
import * as mfa from './mfa.js';

/** The handler of every route of the contract. */
export const HANDLERS: Record<RouteId, (context: RequestContext) => Promise<Envelope>> = {
  'auth.register': auth.register,
  'auth.login': auth.login,
  'auth.refresh': auth.refresh,
  'auth.logout': auth.logout,
  'auth.validate': auth.validate,
  'mfa.setup': mfa.setup,
  'mfa.verify': mfa.verify,
  'mfa.disable': mfa.disable,
  'mfa.status': mfa.status,
  'mfa.regenerateBackupCodes': mfa.regenerateBackupCodes,
  'mfa.verifyBackupCode': mfa.verifyBackupCode,
  'email.send': email.send,
  'email.verify': email.verify,
  'email.resend': email.resend,
  'dev.outbox': email.outbox,
};

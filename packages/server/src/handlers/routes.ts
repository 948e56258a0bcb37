import * as auth from './auth.js';
import * as email from './email.js';
import type { HandlerTable } from './handler.js';
import * as mfa from './mfa.js';
import * as webauthn from './webauthn.js';

/** The handler of every route of the contract: a missing or mistyped one fails to compile. */
export const HANDLERS: HandlerTable = {
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
  'webauthn.registerOptions': webauthn.registerOptions,
  'webauthn.registerVerify': webauthn.registerVerify,
  'webauthn.credentials': webauthn.credentials,
  'webauthn.deleteCredential': webauthn.deleteCredential,
  'email.send': email.send,
  'email.verify': email.verify,
  'email.resend': email.resend,
  'dev.outbox': email.outbox,
};

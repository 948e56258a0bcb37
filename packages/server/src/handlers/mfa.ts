import { MESSAGES, type MfaSetupRequest } from '@twofold/contract';
import type { MfaState } from '../domain/mfa.js';
import type { UserRecord } from '../domain/users.js';
import { ApiError } from '../http/api-error.js';
import type { Services } from '../services.js';
import type { Handler } from './handler.js';
import { passwordMatches } from './password-check.js';
import { requirePassword } from './step-up.js';

const notEnabled = () => new ApiError('MFA_NOT_ENABLED', MESSAGES.mfaNotEnabled);
const wrongTotp = () => new ApiError('MFA_INVALID_CODE', MESSAGES.totpInvalid);
const incorrectPassword = () => new ApiError('MFA_UNAUTHORIZED', MESSAGES.incorrectPassword);

/** The user's password, counted against the guess limits (a stolen token must not guess freely). */
const passwordIsRight = (
  services: Services,
  client: string | undefined,
  user: UserRecord,
  password: string,
) => passwordMatches(services, client, user, user.username, password);

// Each code check below reads the MFA record once, early: a request refused before a secret
// is consulted (nothing pending, MFA off, no codes left) does not count as an attempt. The
// attempt is then counted before the code is checked (spec §3 rule 3), and the operation
// starts its compare-and-set from that same read.

/**
 * Spec §6 rule 3: replacing the authenticator while MFA is on needs the password plus a current
 * TOTP code or a backup code (consumed). Without a password the answer stays the crate's
 * `MFA_ALREADY_ENABLED`. The code is an attempt (spec §3 rule 3).
 */
async function proveReplacement(
  services: Services,
  user: UserRecord,
  state: MfaState,
  client: string | undefined,
  proof: MfaSetupRequest,
): Promise<void> {
  const { mfa, attempts } = services;
  if (!(await passwordIsRight(services, client, user, proof.password ?? '')))
    throw incorrectPassword();
  const backupCode = proof.totp_code ? undefined : proof.backup_code?.trim();
  if (!proof.totp_code && !backupCode) {
    throw new ApiError('MFA_UNAUTHORIZED', MESSAGES.setupStepUpRequired);
  }
  const attempt = await attempts.begin(user.id, client);
  if (backupCode) {
    const outcome = await mfa.consumeBackupCode(state, backupCode);
    if (outcome !== 'accepted') throw new ApiError('MFA_INVALID_CODE', MESSAGES.backupCodeInvalid);
  } else if ((await mfa.checkTotp(state, proof.totp_code ?? '')) !== 'accepted') {
    throw wrongTotp();
  }
  await attempt.succeeded();
}

export const setup: Handler<'mfa.setup'> = async ({
  optionalBody,
  user,
  mfa: read,
  client,
  services,
}) => {
  const { mfa, config } = services;
  const alreadyEnabled = () => new ApiError('MFA_ALREADY_ENABLED', MESSAGES.mfaAlreadyEnabled);
  const state = await mfa.load(user.id, read);
  let replacing = false;
  if (state.enabled) {
    if (!optionalBody.password) throw alreadyEnabled();
    await proveReplacement(services, user, state, client, optionalBody);
    replacing = true;
  } else if (config.requirePasswordToEnrol) {
    // A stolen access token must not enrol the thief's authenticator (issue 14 item 10).
    await requirePassword(
      services,
      user,
      client,
      optionalBody.password,
      MESSAGES.enrolPasswordRequired,
    );
  }
  const enrolment = await mfa.startSetup(user.id, config.totpAccount(user), replacing);
  if (enrolment === undefined) throw alreadyEnabled();
  return {
    qr_code: enrolment.uri,
    secret: enrolment.secret,
    backup_codes: enrolment.backupCodes,
  };
};

export const verify: Handler<'mfa.verify'> = async ({ body, user, session, client, services }) => {
  const { mfa, attempts, users } = services;
  const notPending = () => new ApiError('MFA_NOT_PENDING', MESSAGES.mfaNotPending);
  const state = await mfa.load(user.id);
  if (!state.pendingSetup) throw notPending();
  const attempt = await attempts.begin(user.id, client);
  const outcome = await mfa.activate(state, body.totp_code);
  if (outcome === 'not-pending') throw notPending();
  if (outcome === 'wrong-code') throw wrongTotp();
  await attempt.succeeded();
  // MFA is on (or its authenticator replaced): sessions from before it end, this one stays.
  await users.endOtherSessions(user.id, session);
};

export const disable: Handler<'mfa.disable'> = async ({
  body,
  user,
  session,
  client,
  services,
}) => {
  const { mfa, attempts, users } = services;
  // A wrong password is refused first and consumes nothing (spec §3, disable).
  if (!(await passwordIsRight(services, client, user, body.password))) throw incorrectPassword();
  const state = await mfa.load(user.id);
  if (!state.enabled) throw notEnabled();
  const attempt = await attempts.begin(user.id, client);
  // Spec §6 rule 3: a backup code stands in for the TOTP code of a lost authenticator.
  const backupCode = body.totp_code ? undefined : body.backup_code?.trim();
  const outcome = backupCode
    ? await mfa.disableWithBackupCode(state, backupCode)
    : await mfa.disable(state, body.totp_code);
  if (outcome === 'not-enabled') throw notEnabled();
  if (outcome === 'wrong-code') {
    throw backupCode ? new ApiError('MFA_INVALID_CODE', MESSAGES.backupCodeInvalid) : wrongTotp();
  }
  await attempt.succeeded();
  // The passkeys went with the record; their ids are free to be registered again.
  await services.passkeys?.release(
    state.passkeys.map(({ id }) => id),
    user.id,
  );
  await users.endOtherSessions(user.id, session);
};

export const status: Handler<'mfa.status'> = async ({ user, mfa, services }) => {
  const { enabled, totp, passkeys, backupCodesRemaining } = await services.mfa.load(user.id, mfa);
  return {
    enabled,
    methods: [
      ...(totp ? (['totp'] as const) : []),
      ...(passkeys.length > 0 ? (['webauthn'] as const) : []),
    ],
    backup_codes_remaining: backupCodesRemaining,
  };
};

export const regenerateBackupCodes: Handler<'mfa.regenerateBackupCodes'> = async ({
  body,
  user,
  client,
  services,
}) => {
  const { mfa, attempts, config } = services;
  const state = await mfa.load(user.id);
  if (!state.enabled) throw notEnabled();
  // Spec §3 rule 4: a stolen access token alone must not mint fresh recovery codes.
  let totpCode: string | undefined;
  if (config.requireStepUpForBackupCodes) {
    if (body.password) {
      if (!(await passwordIsRight(services, client, user, body.password)))
        throw incorrectPassword();
    } else if (body.totp_code) {
      totpCode = body.totp_code;
    } else {
      throw new ApiError('MFA_UNAUTHORIZED', MESSAGES.stepUpRequired);
    }
  }
  // Only a TOTP code is an attempt; a password step-up is not a code.
  const attempt = totpCode === undefined ? undefined : await attempts.begin(user.id, client);
  const result = await mfa.regenerateBackupCodes(state, totpCode);
  if (result.outcome === 'not-enabled') throw notEnabled();
  if (result.outcome === 'wrong-code') throw wrongTotp();
  await attempt?.succeeded();
  return result.codes;
};

export const verifyBackupCode: Handler<'mfa.verifyBackupCode'> = async ({
  body,
  user,
  client,
  services,
}) => {
  const { mfa, attempts } = services;
  const noCodes = () => new ApiError('MFA_ERROR', MESSAGES.noBackupCodes);
  const state = await mfa.load(user.id);
  if (state.backupCodesRemaining === 0) throw noCodes();
  const attempt = await attempts.begin(user.id, client);
  const outcome = await mfa.consumeBackupCode(state, body.backup_code.trim());
  if (outcome === 'none-left') throw noCodes();
  if (outcome === 'wrong-code') throw new ApiError('MFA_INVALID_CODE', MESSAGES.backupCodeInvalid);
  await attempt.succeeded();
};

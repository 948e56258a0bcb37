import {
  type BackupCodesData,
  MESSAGES,
  type MfaSetupData,
  type MfaStatusData,
  type SuccessEnvelope,
  successData,
  successMessage,
} from '@twofold/contract';
import type { TotpOutcome } from '../domain/mfa.js';
import { ApiError } from '../http/api-error.js';
import { authenticate, type RequestContext } from './context.js';
import { attempt } from './second-factor.js';
import { validated } from './validated.js';

const notEnabled = () => new ApiError('MFA_NOT_ENABLED', MESSAGES.mfaNotEnabled);

/** Counts the attempt and runs a TOTP check; throws unless the code was accepted. */
async function requireTotp(
  context: RequestContext,
  userId: string,
  check: () => Promise<TotpOutcome>,
  whenNoSecret: () => ApiError,
): Promise<void> {
  const outcome = await attempt(context, userId, check, (o) => o === 'accepted');
  if (outcome === 'not-enabled') throw whenNoSecret();
  if (outcome !== 'accepted') throw new ApiError('MFA_INVALID_CODE', MESSAGES.totpInvalid);
}

export async function setup(context: RequestContext): Promise<SuccessEnvelope<MfaSetupData>> {
  const { user } = await authenticate(context);
  const { mfa, config } = context.services;
  const enrolment = await mfa.startSetup(user.id, config.totpAccount(user));
  if (enrolment === undefined)
    throw new ApiError('MFA_ALREADY_ENABLED', MESSAGES.mfaAlreadyEnabled);
  return successData({
    qr_code: enrolment.uri,
    secret: enrolment.secret,
    backup_codes: enrolment.backupCodes,
  });
}

export async function verify(context: RequestContext): Promise<SuccessEnvelope<never>> {
  const { totp_code } = validated('mfa.verify', context); // before authentication, as the crate
  const { user } = await authenticate(context);
  const { mfa } = context.services;
  const notPending = () => new ApiError('MFA_NOT_PENDING', MESSAGES.mfaNotPending);
  if (!(await mfa.hasPendingSetup(user.id))) throw notPending();
  await requireTotp(context, user.id, () => mfa.activate(user.id, totp_code), notPending);
  return successMessage(MESSAGES.mfaEnabled);
}

export async function disable(context: RequestContext): Promise<SuccessEnvelope<never>> {
  const { password, totp_code } = validated('mfa.disable', context);
  const { user } = await authenticate(context);
  const { mfa, passwordHasher } = context.services;
  if (!(await passwordHasher.verify(password, user.passwordHash))) {
    throw new ApiError('MFA_UNAUTHORIZED', MESSAGES.incorrectPassword);
  }
  if (!(await mfa.isEnabled(user.id))) throw notEnabled();
  await requireTotp(context, user.id, () => mfa.checkTotp(user.id, totp_code), notEnabled);
  await mfa.disable(user.id);
  return successMessage(MESSAGES.mfaDisabled);
}

export async function status(context: RequestContext): Promise<SuccessEnvelope<MfaStatusData>> {
  const { user } = await authenticate(context);
  const { enabled, backupCodesRemaining } = await context.services.mfa.status(user.id);
  return successData({
    enabled,
    methods: enabled ? ['totp'] : [],
    backup_codes_remaining: backupCodesRemaining,
  });
}

export async function regenerateBackupCodes(
  context: RequestContext,
): Promise<SuccessEnvelope<BackupCodesData>> {
  const { user } = await authenticate(context);
  const { password, totp_code } = validated('mfa.regenerateBackupCodes', context);
  const { mfa, passwordHasher, config } = context.services;
  if (!(await mfa.isEnabled(user.id))) throw notEnabled();
  if (config.requireStepUpForBackupCodes) {
    // Spec §3 rule 4: a stolen access token alone must not mint fresh recovery codes.
    if (password) {
      if (!(await passwordHasher.verify(password, user.passwordHash))) {
        throw new ApiError('MFA_UNAUTHORIZED', MESSAGES.incorrectPassword);
      }
    } else if (totp_code) {
      await requireTotp(context, user.id, () => mfa.checkTotp(user.id, totp_code), notEnabled);
    } else {
      throw new ApiError('MFA_UNAUTHORIZED', MESSAGES.stepUpRequired);
    }
  }
  const codes = await mfa.regenerateBackupCodes(user.id);
  if (codes === undefined) throw notEnabled();
  return successData(codes);
}

export async function verifyBackupCode(context: RequestContext): Promise<SuccessEnvelope<never>> {
  const { backup_code } = validated('mfa.verifyBackupCode', context);
  const { user } = await authenticate(context);
  const { mfa } = context.services;
  const status = await mfa.status(user.id);
  if (!status.enabled || status.backupCodesRemaining === 0) {
    throw new ApiError('MFA_ERROR', MESSAGES.noBackupCodes);
  }
  const outcome = await attempt(
    context,
    user.id,
    () => mfa.consumeBackupCode(user.id, backup_code.trim()),
    (o) => o === 'accepted',
  );
  if (outcome === 'none-left' || outcome === 'not-enabled')
    throw new ApiError('MFA_ERROR', MESSAGES.noBackupCodes);
  if (outcome !== 'accepted') throw new ApiError('MFA_INVALID_CODE', MESSAGES.backupCodeInvalid);
  return successMessage(MESSAGES.backupCodeVerified);
}

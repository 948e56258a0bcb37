import { MESSAGES, normalizeTotpCode } from '@twofold/contract';
import type { MfaState } from '../domain/mfa.js';
import type { UserRecord } from '../domain/users.js';
import { ApiError } from '../http/api-error.js';
import type { Services } from '../services.js';
import { passwordMatches } from './password-check.js';

/** The proof a sensitive change asks for: the password, or a current TOTP code. */
export interface StepUpProof {
  password?: string | undefined;
  totp_code?: string | undefined;
}

/**
 * Proves the caller knows the password, for a first enrolment (there is no factor yet to prove
 * with): `MFA_UNAUTHORIZED` with `missing` as the message when none is given, with
 * "Incorrect password" when it is wrong (counted against the guess limits).
 */
export async function requirePassword(
  services: Services,
  user: UserRecord,
  client: string | undefined,
  password: string | undefined,
  missing: string,
): Promise<void> {
  if (!password) throw new ApiError('MFA_UNAUTHORIZED', missing);
  if (!(await passwordMatches(services, client, user, user.username, password))) {
    throw new ApiError('MFA_UNAUTHORIZED', MESSAGES.incorrectPassword);
  }
}

/**
 * Proves the caller is the user and not only the holder of a stolen access token: the
 * password (`MFA_UNAUTHORIZED` when wrong), or a current TOTP code, which is an attempt
 * (spec §3 rule 3) and is recorded against replay. Neither given: `MFA_UNAUTHORIZED` with
 * `missing` as the message.
 */
export async function requireStepUp(
  services: Services,
  user: UserRecord,
  state: MfaState,
  client: string | undefined,
  proof: StepUpProof,
  missing: string,
): Promise<void> {
  const { attempts, mfa } = services;
  if (proof.password) return requirePassword(services, user, client, proof.password, missing);
  if (!proof.totp_code) throw new ApiError('MFA_UNAUTHORIZED', missing);
  const attempt = await attempts.begin(user.id, client);
  if ((await mfa.checkTotp(state, normalizeTotpCode(proof.totp_code.trim()))) !== 'accepted') {
    throw new ApiError('MFA_INVALID_CODE', MESSAGES.totpInvalid);
  }
  await attempt.succeeded();
}

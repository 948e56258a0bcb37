import { MESSAGES, type PasskeyData } from '@twofold/contract';
import { MAX_PASSKEYS, type PasskeyService } from '../domain/passkeys.js';
import type { StoredPasskey } from '../domain/stored-passkey.js';
import { ApiError } from '../http/api-error.js';
import type { Services } from '../services.js';
import type { Handler } from './handler.js';
import { requirePassword, requireStepUp } from './step-up.js';

function configured(services: Services): PasskeyService {
  if (services.passkeys === undefined) {
    throw new ApiError('WEBAUTHN_NOT_CONFIGURED', MESSAGES.webauthnNotConfigured);
  }
  return services.passkeys;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A name as given, trimmed and made storable (no lone surrogates); undefined when blank. */
function passkeyName(name: string | undefined): string | undefined {
  const trimmed = name?.replace(LONE_SURROGATE, '\uFFFD').trim();
  return trimmed ? trimmed : undefined;
}

const tooMany = () => new ApiError('WEBAUTHN_LIMIT_REACHED', MESSAGES.webauthnLimitReached);

const passkeyData = (passkey: StoredPasskey): PasskeyData => ({
  credential_id: passkey.id,
  name: passkey.name,
  created_at: passkey.createdAt,
  ...(passkey.lastUsedAt === undefined ? {} : { last_used_at: passkey.lastUsedAt }),
});

export const registerOptions: Handler<'webauthn.registerOptions'> = async ({
  body,
  user,
  client,
  services,
}) => {
  const passkeys = configured(services);
  const state = await services.mfa.load(user.id);
  if (state.passkeys.length >= MAX_PASSKEYS) throw tooMany();
  // A stolen access token alone must not add a factor of its own: once MFA is on, the password
  // or a current code; for the first factor (nothing to prove with yet), the password.
  if (state.enabled) {
    await requireStepUp(services, user, state, client, body, MESSAGES.webauthnStepUpRequired);
  } else if (services.config.requirePasswordToEnrol) {
    await requirePassword(services, user, client, body.password, MESSAGES.enrolPasswordRequired);
  }
  return passkeys.registrationOptions(user, state, passkeyName(body.name));
};

export const registerVerify: Handler<'webauthn.registerVerify'> = async ({
  body,
  user,
  session,
  services,
}) => {
  const passkeys = configured(services);
  const result = await passkeys.register(user.id, body.response, passkeyName(body.name));
  switch (result.outcome) {
    case 'challenge-invalid':
      throw new ApiError('WEBAUTHN_CHALLENGE_INVALID', MESSAGES.webauthnChallengeInvalid);
    case 'failed':
      throw new ApiError(
        'WEBAUTHN_VERIFICATION_FAILED',
        `${MESSAGES.webauthnVerificationFailed}: ${result.reason}`,
      );
    case 'not-allowed':
      throw new ApiError('WEBAUTHN_NOT_ALLOWED', MESSAGES.webauthnNotAllowed);
    case 'exists':
      throw new ApiError('WEBAUTHN_CREDENTIAL_EXISTS', MESSAGES.webauthnCredentialExists);
    case 'limit-reached':
      throw tooMany();
    case 'registered':
      // The first factor turned MFA on: sessions from before it end, this one stays.
      if (result.backupCodes !== undefined) await services.users.endOtherSessions(user.id, session);
      return {
        ...passkeyData(result.passkey),
        ...(result.backupCodes === undefined ? {} : { backup_codes: result.backupCodes }),
      };
  }
};

export const credentials: Handler<'webauthn.credentials'> = async ({ user, mfa, services }) => {
  configured(services);
  return (await services.mfa.load(user.id, mfa)).passkeys.map(passkeyData);
};

export const deleteCredential: Handler<'webauthn.deleteCredential'> = async ({
  body,
  params,
  user,
  session,
  client,
  services,
}) => {
  const passkeys = configured(services);
  const notFound = () => new ApiError('NOT_FOUND', MESSAGES.passkeyNotFound);
  const state = await services.mfa.load(user.id);
  if (!state.passkeys.some(({ id }) => id === params.credential_id)) throw notFound();
  await requireStepUp(services, user, state, client, body, MESSAGES.webauthnDeleteStepUpRequired);
  const outcome = await passkeys.remove(user.id, params.credential_id);
  if (outcome === 'not-found') throw notFound();
  // The last factor went, and MFA with it: sessions from before end, this one stays.
  if (outcome === 'mfa-disabled') await services.users.endOtherSessions(user.id, session);
};

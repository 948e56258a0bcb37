import {
  type LoginData,
  MESSAGES,
  type MfaRequiredDetails,
  type RefreshData,
  type RegisterData,
  type SuccessEnvelope,
  successData,
  successMessage,
  type UserInfo,
} from '@twofold/contract';
import type { UserRecord } from '../domain/users.js';
import { ApiError } from '../http/api-error.js';
import { authenticate, bearerToken, type RequestContext } from './context.js';
import { sendVerificationEmail } from './email.js';
import { attempt, checkSecondFactor } from './second-factor.js';
import { validated } from './validated.js';

const userInfo = (user: UserRecord): UserInfo => ({
  id: user.id,
  username: user.username,
  roles: user.roles,
  permissions: user.permissions,
});

export async function register(context: RequestContext): Promise<SuccessEnvelope<RegisterData>> {
  const { username, email, password } = validated('auth.register', context);
  const { users, passwordHasher, config } = context.services;
  const user = await users.create({
    username,
    email,
    passwordHash: await passwordHasher.hash(password),
  });
  if (user === undefined) throw new ApiError('CONFLICT', MESSAGES.registerConflict);
  if (config.sendVerificationOnRegister) {
    // The account exists either way; a failed email must not turn it into an error the client
    // would retry into a CONFLICT. The user can ask for another email.
    await sendVerificationEmail(context, user).catch((error: unknown) =>
      context.services.logger.error(`verification email to ${user.email} failed`, error),
    );
  }
  return successData({ user_id: user.id, username: user.username, email: user.email });
}

async function sessionFor(
  context: RequestContext,
  user: UserRecord,
): Promise<SuccessEnvelope<LoginData>> {
  const { tokens } = context.services;
  const [access, refresh] = await Promise.all([
    tokens.issue(user.id, 'access'),
    tokens.issue(user.id, 'refresh'),
  ]);
  return successData({
    access_token: access.token,
    refresh_token: refresh.token,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
    user: userInfo(user),
  });
}

/** The user whose password matches, or `INVALID_CREDENTIALS` (same work for unknown names). */
async function checkPassword(
  context: RequestContext,
  username: string,
  password: string,
): Promise<UserRecord> {
  const { users, passwordHasher, decoyPasswordHash } = context.services;
  const user = await users.findByUsername(username);
  const ok = await passwordHasher.verify(password, user?.passwordHash ?? (await decoyPasswordHash));
  if (user === undefined || !ok)
    throw new ApiError('INVALID_CREDENTIALS', MESSAGES.invalidCredentials);
  return user;
}

async function completeChallenge(
  context: RequestContext,
  user: UserRecord,
  challengeId: string,
  code: string,
): Promise<SuccessEnvelope<LoginData>> {
  const { challenges } = context.services;
  const invalid = new ApiError('MFA_INVALID_CODE', MESSAGES.challengeInvalid);
  // Binding first: a foreign, unknown or spent challenge costs no attempt and is not consumed.
  const challenge = await challenges.peek(challengeId);
  if (challenge === undefined || challenge.userId !== user.id) throw invalid;
  const passed = await attempt(
    context,
    user.id,
    async () => {
      const taken = await challenges.take(challengeId);
      if (taken === undefined || taken.userId !== user.id) return false;
      if (await checkSecondFactor(context, user.id, code)) return true;
      await challenges.returnAfterWrongCode(challengeId, taken);
      return false;
    },
    (ok) => ok,
  );
  if (!passed) throw invalid;
  return sessionFor(context, user);
}

export async function login(context: RequestContext): Promise<SuccessEnvelope<LoginData>> {
  const body = validated('auth.login', context);
  const user = await checkPassword(context, body.username, body.password);
  const { mfa, challenges } = context.services;
  if (body.challenge_id && body.mfa_code) {
    return completeChallenge(context, user, body.challenge_id, body.mfa_code);
  }
  if (!(await mfa.isEnabled(user.id))) return sessionFor(context, user);
  const challenge = await challenges.create(user.id);
  const details: MfaRequiredDetails = {
    challenge_id: challenge.id,
    mfa_type: 'totp_or_backup_code',
    expires_at: new Date(challenge.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    message: MESSAGES.mfaRequiredHint,
    methods: ['totp', 'backup_code'],
  };
  throw new ApiError('MFA_REQUIRED', MESSAGES.mfaRequired, details);
}

export async function refresh(context: RequestContext): Promise<SuccessEnvelope<RefreshData>> {
  const { refresh_token } = validated('auth.refresh', context);
  const { tokens, users } = context.services;
  const verified = await tokens.verify(refresh_token, 'refresh');
  if (verified === undefined || (await users.get(verified.userId)) === undefined) {
    throw new ApiError('INVALID_TOKEN', MESSAGES.refreshTokenInvalid);
  }
  const access = await tokens.issue(verified.userId, 'access');
  return successData({
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
  });
}

export async function logout(context: RequestContext): Promise<SuccessEnvelope<never>> {
  const { refresh_token } = validated('auth.logout', context);
  const { tokens } = context.services;
  const access = bearerToken(context.request);
  const revocable = await Promise.all([
    access === undefined ? undefined : tokens.verify(access, 'access'),
    refresh_token ? tokens.verify(refresh_token, 'refresh') : undefined,
  ]);
  for (const token of revocable) if (token !== undefined) await tokens.revoke(token);
  return successMessage(MESSAGES.loggedOut);
}

export async function validate(context: RequestContext): Promise<SuccessEnvelope<UserInfo>> {
  const { user } = await authenticate(context);
  return successData(userInfo(user));
}

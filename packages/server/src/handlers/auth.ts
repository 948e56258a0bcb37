import {
  type ChallengeRefusedDetails,
  LIFETIMES,
  type LoginData,
  MESSAGES,
  type MfaRequiredDetails,
  type RequestBody,
  type UserInfo,
} from '@twofold/contract';
import { randomId } from '../crypto/random.js';
import type { Challenge } from '../domain/challenges.js';
import { LimitExceeded } from '../domain/limit-exceeded.js';
import { sessionIsCurrent, type UserRecord } from '../domain/users.js';
import { ApiError } from '../http/api-error.js';
import { bearerToken } from '../http/authenticate.js';
import type { Services } from '../services.js';
import type { Handler } from './handler.js';
import { passwordMatches } from './password-check.js';
import { checkSecondFactor } from './second-factor.js';

const userInfo = (user: UserRecord): UserInfo => ({
  id: user.id,
  username: user.username,
  roles: user.roles,
  permissions: user.permissions,
});

export const register: Handler<'auth.register'> = async ({ body, services }) => {
  const { users, passwordHasher, config } = services;
  const user = await users.create({
    username: body.username,
    email: body.email,
    passwordHash: await passwordHasher.hash(body.password),
  });
  if (user === undefined) throw new ApiError('CONFLICT', MESSAGES.registerConflict);
  if (config.sendVerificationOnRegister) {
    // Queued, so a relay that is down delays the email instead of losing it; the account
    // exists either way, and a failure must not become an error retried into a CONFLICT.
    try {
      await services.mail.enqueue({ userId: user.id, to: user.email });
      services.mail.kick();
    } catch (error) {
      config.logger.error(`verification email to ${user.email} could not be queued`, error);
    }
  }
  return { user_id: user.id, username: user.username, email: user.email };
};

async function sessionFor(services: Services, user: UserRecord): Promise<LoginData> {
  const session = { id: randomId('ses'), generation: user.sessions?.generation ?? 0 };
  const [access, refresh] = await Promise.all([
    services.tokens.issue(user.id, 'access', session),
    services.tokens.issue(user.id, 'refresh', session),
  ]);
  return {
    access_token: access.token,
    refresh_token: refresh.token,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
    user: userInfo(user),
  };
}

/** The user whose password matches, or `INVALID_CREDENTIALS` (same work for unknown names). */
async function checkPassword(
  services: Services,
  client: string | undefined,
  username: string,
  password: string,
): Promise<UserRecord> {
  const user = await services.users.findByUsername(username);
  // Checked (and counted) for an unknown username too: neither time nor limits tell them apart.
  const matches = await passwordMatches(services, client, user, username, password);
  if (user === undefined || !matches) {
    throw new ApiError('INVALID_CREDENTIALS', MESSAGES.invalidCredentials);
  }
  return user;
}

/**
 * The user of a login's step 2. A challenge is made only once step 1 has verified the password,
 * is bound to that user, and its id (128 random bits, single use, 5 minutes) goes only to the
 * client that sent the password: presented with that user's name, it stands for the password,
 * so an MFA login runs scrypt once (the crate does not check the password again either), and
 * nothing derived from the password is kept with the challenge. Without such a challenge
 * (unknown, another user's) the password gets the full check; the challenge itself is judged
 * afterwards, as before.
 */
async function stepTwoUser(
  services: Services,
  client: string | undefined,
  body: { username: string; password: string; challenge_id: string },
): Promise<UserRecord> {
  const [user, challenge] = await Promise.all([
    services.users.findByUsername(body.username),
    services.challenges.peek(body.challenge_id),
  ]);
  if (user !== undefined && challenge?.userId === user.id) return user;
  return checkPassword(services, client, body.username, body.password);
}

/** What completes a login challenge: a TOTP or backup code, or a passkey's assertion. */
type ChallengeAnswer =
  | { code: string }
  | { assertion: NonNullable<RequestBody<'auth.login'>['webauthn_response']> };

/** Checks the answer against a taken challenge; the refusal to throw, or undefined when accepted. */
async function refusalOf(
  services: Services,
  user: UserRecord,
  challenge: Challenge,
  answer: ChallengeAnswer,
): Promise<'wrong-code' | ApiError | undefined> {
  if ('code' in answer) {
    const outcome = await checkSecondFactor(services, user.id, answer.code);
    return outcome === 'accepted' ? undefined : 'wrong-code';
  }
  if (challenge.webauthn === undefined || services.passkeys === undefined) {
    return invalidChallenge();
  }
  const verified = await services.passkeys.verifyAssertion(
    user.id,
    challenge.webauthn,
    answer.assertion,
  );
  if (verified.outcome === 'accepted') return undefined;
  return new ApiError(
    'WEBAUTHN_VERIFICATION_FAILED',
    `${MESSAGES.webauthnVerificationFailed}: ${verified.reason}`,
  );
}

/** `MFA_INVALID_CODE` with the crate's message; Twofold adds why (spec §6 rule 2). */
const invalidChallenge = (details?: ChallengeRefusedDetails) =>
  new ApiError('MFA_INVALID_CODE', MESSAGES.challengeInvalid, details);

/** Login step 2: the challenge of step 1 completed with a code or a passkey. */
async function completeChallenge(
  services: Services,
  client: string | undefined,
  user: UserRecord,
  challengeId: string,
  answer: ChallengeAnswer,
): Promise<LoginData> {
  const { challenges, attempts } = services;
  // An early read: a foreign, unknown, expired or burnt challenge is refused before any secret
  // is consulted, so it costs no attempt and is not consumed. Unknown and foreign ones say no
  // more than the crate (a foreign id must not tell its state to another user).
  const peeked = await challenges.peek(challengeId);
  if (peeked === undefined || peeked.userId !== user.id) throw invalidChallenge();
  const early = challenges.stateOf(peeked);
  if (early !== 'live') throw invalidChallenge({ reason: early });
  const attempt = await attempts.begin(user.id, client);
  const challenge = await challenges.take(challengeId);
  if (challenge === undefined || challenge.userId !== user.id) throw invalidChallenge();
  const state = challenges.stateOf(challenge);
  if (state !== 'live') {
    // Expired or burnt between the peek and the take: put it back as it was.
    await challenges.putBack(challengeId, challenge, false);
    throw invalidChallenge({ reason: state });
  }
  const refusal = await refusalOf(services, user, challenge, answer);
  if (refusal === undefined) {
    await attempt.succeeded();
    return sessionFor(services, user);
  }
  const back = await challenges.putBack(challengeId, challenge, true);
  if (refusal !== 'wrong-code') throw refusal;
  // The wrong code that used up the user's (or address's) allowance says so now, not only on
  // the next try (spec §6 rule 2).
  if (attempt.limitReachedMs !== undefined) throw new LimitExceeded(attempt.limitReachedMs);
  throw challenges.stateOf(back) === 'exhausted'
    ? invalidChallenge({ reason: 'exhausted' })
    : invalidChallenge({
        reason: 'wrong_code',
        attempts_remaining: challenges.attemptsRemaining(back),
      });
}

export const login: Handler<'auth.login'> = async ({ body, services, client }) => {
  const { challenge_id, mfa_code, webauthn_response } = body;
  if (challenge_id && (mfa_code || webauthn_response)) {
    const user = await stepTwoUser(services, client, { ...body, challenge_id });
    const answer = webauthn_response ? { assertion: webauthn_response } : { code: mfa_code ?? '' };
    return completeChallenge(services, client, user, challenge_id, answer);
  }
  const user = await checkPassword(services, client, body.username, body.password);
  const { mfa, challenges, passkeys } = services;
  const state = await mfa.load(user.id);
  if (!state.enabled) return sessionFor(services, user);
  const assertion =
    passkeys !== undefined && state.passkeys.length > 0
      ? await passkeys.assertionOptions(state)
      : undefined;
  const challenge = await challenges.create(user.id, assertion?.challenge);
  const details: MfaRequiredDetails = {
    challenge_id: challenge.id,
    mfa_type: 'totp_or_backup_code',
    expires_at: new Date(challenge.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    // Made just now: its whole lifetime is left.
    expires_in: LIFETIMES.loginChallenge / 1000,
    message: assertion === undefined ? MESSAGES.mfaRequiredHint : MESSAGES.mfaRequiredHintPasskey,
    methods: [
      ...(state.totp ? (['totp'] as const) : []),
      'backup_code',
      ...(assertion === undefined ? [] : (['webauthn'] as const)),
    ],
    ...(assertion === undefined ? {} : { webauthn_options: assertion.options }),
  };
  throw new ApiError('MFA_REQUIRED', MESSAGES.mfaRequired, details);
};

export const refresh: Handler<'auth.refresh'> = async ({ body, services }) => {
  const { tokens, users } = services;
  const verified = await tokens.verify(body.refresh_token, 'refresh');
  const user = verified === undefined ? undefined : await users.get(verified.userId);
  // A session ended since (MFA turned on or off elsewhere) gets no new access token.
  if (verified === undefined || user === undefined || !sessionIsCurrent(user, verified.session)) {
    throw new ApiError('INVALID_TOKEN', MESSAGES.refreshTokenInvalid);
  }
  const access = await tokens.issue(user.id, 'access', verified.session);
  return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn };
};

export const logout: Handler<'auth.logout'> = async ({ body, request, services }) => {
  const { tokens } = services;
  const access = bearerToken(request);
  const revocable = await Promise.all([
    access === undefined ? undefined : tokens.verify(access, 'access'),
    body.refresh_token ? tokens.verify(body.refresh_token, 'refresh') : undefined,
  ]);
  for (const token of revocable) if (token !== undefined) await tokens.revoke(token);
};

export const validate: Handler<'auth.validate'> = async ({ user }) => userInfo(user);

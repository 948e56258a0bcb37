import { ensure, show } from './check.js';
import type { CheckContext, Json, Reply, TestUser } from './context.js';
import type { PasskeyAuthenticator } from './webauthn-target.js';

/** The step-up proof some passkey routes take. */
export type Proof = { password: string } | { totp_code: string };

/** A user whose first second factor is a passkey of `authenticator`. */
export interface PasskeyUser extends TestUser {
  authenticator: PasskeyAuthenticator;
  credentialId: string;
  backupCodes: string[];
}

/** `POST /mfa/webauthn/register/options`, answered as it came. */
export function askRegistrationOptions(
  t: CheckContext,
  user: TestUser,
  body: Record<string, string> = {},
): Promise<Reply> {
  return t.call('POST', '/mfa/webauthn/register/options', { token: user.accessToken, body });
}

/** Creation options for the user, with a step-up `proof` (default: the user's password). */
export async function registrationOptions(
  t: CheckContext,
  user: TestUser,
  proof: Proof = { password: user.password },
): Promise<Json> {
  const options = t.success(await askRegistrationOptions(t, user, proof), 'register/options');
  ensure(
    typeof options?.challenge === 'string' && options.rp?.id === t.webauthn.rpId,
    `creation options for rp ${t.webauthn.rpId} expected, got ${show(options)}`,
  );
  return options;
}

/** `POST /mfa/webauthn/register/verify` with the authenticator's response. */
export function verifyRegistration(
  t: CheckContext,
  user: TestUser,
  response: Json,
  name?: string,
): Promise<Reply> {
  return t.call('POST', '/mfa/webauthn/register/verify', {
    token: user.accessToken,
    body: { response, ...(name === undefined ? {} : { name }) },
  });
}

/** A whole registration (options, ceremony, verify) that must succeed; answers its `data`. */
export async function addPasskey(
  t: CheckContext,
  user: TestUser,
  authenticator: PasskeyAuthenticator,
  proof?: Proof,
): Promise<Json> {
  const response = await authenticator.register(await registrationOptions(t, user, proof));
  const data = t.success(await verifyRegistration(t, user, response), 'register/verify');
  ensure(
    data?.credential_id === response.id,
    `credential_id ${show(data?.credential_id)} is not the registered ${response.id}`,
  );
  return data;
}

/** A fresh user whose first second factor is a new passkey of `authenticator` (default: a fresh one). */
export async function passkeyUser(
  t: CheckContext,
  authenticator: PasskeyAuthenticator = t.authenticator(),
): Promise<PasskeyUser> {
  const user = await t.user('pk');
  const data = await addPasskey(t, user, authenticator);
  ensure(
    Array.isArray(data.backup_codes) && data.backup_codes.length === 10,
    `the first second factor must come with 10 backup codes, got ${show(data.backup_codes)}`,
  );
  return {
    ...user,
    authenticator,
    credentialId: data.credential_id,
    backupCodes: data.backup_codes,
  };
}

export async function mfaStatus(t: CheckContext, user: TestUser): Promise<Json> {
  return t.success(await t.call('GET', '/mfa/status', { token: user.accessToken }), 'status');
}

/** The user's passkeys as `GET /mfa/webauthn/credentials` lists them. */
export async function listPasskeys(t: CheckContext, user: TestUser): Promise<Json[]> {
  const list = t.success(
    await t.call('GET', '/mfa/webauthn/credentials', { token: user.accessToken }),
    'credentials',
  );
  ensure(Array.isArray(list), `credentials must be an array, got ${show(list)}`);
  return list;
}

/** Asserts that nothing of a refused registration was kept: MFA off, no passkey listed. */
export async function expectNoPasskeys(t: CheckContext, user: TestUser, what: string) {
  const status = await mfaStatus(t, user);
  ensure(
    status.enabled === false && status.methods?.length === 0,
    `${what}: MFA must stay off, status ${show(status)}`,
  );
  const list = await listPasskeys(t, user);
  ensure(list.length === 0, `${what}: no passkey may be stored, got ${show(list)}`);
}

export function deletePasskey(
  t: CheckContext,
  user: TestUser,
  credentialId: string,
  proof: Partial<Proof>,
): Promise<Reply> {
  return t.call('DELETE', `/mfa/webauthn/credentials/${encodeURIComponent(credentialId)}`, {
    token: user.accessToken,
    body: proof,
  });
}

/** Login step 1 for a user with a passkey: the challenge id and its WebAuthn request options. */
export async function passkeyChallenge(
  t: CheckContext,
  user: TestUser,
): Promise<{ challengeId: string; options: Json; details: Json }> {
  const reply = await t.call('POST', '/auth/login', {
    body: { username: user.username, password: user.password },
  });
  t.failure(reply, 'MFA_REQUIRED', 'login step 1');
  const details = reply.body.error.details;
  ensure(typeof details?.challenge_id === 'string', `details ${show(details)}`);
  ensure(
    typeof details.webauthn_options?.challenge === 'string',
    `details.webauthn_options must hold request options, details ${show(details)}`,
  );
  return { challengeId: details.challenge_id, options: details.webauthn_options, details };
}

/** Login step 2 with a passkey's assertion. */
export function completeWithPasskey(
  t: CheckContext,
  user: TestUser,
  challengeId: string,
  response: Json,
): Promise<Reply> {
  return t.call('POST', '/auth/login', {
    body: {
      username: user.username,
      password: user.password,
      challenge_id: challengeId,
      webauthn_response: response,
    },
  });
}

/** A whole passkey login (step 1, assertion, step 2), answered as it came. */
export async function loginWithPasskey(t: CheckContext, user: PasskeyUser): Promise<Reply> {
  const { challengeId, options } = await passkeyChallenge(t, user);
  const assertion = await user.authenticator.authenticate(options);
  return completeWithPasskey(t, user, challengeId, assertion);
}

/** `origin` with the next port: same scheme and host, another origin. */
export function neighbourOrigin(origin: string): string {
  const url = new URL(origin);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  url.port = String(port + 1);
  return url.origin;
}

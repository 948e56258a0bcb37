import { MESSAGES } from '@twofold/contract';
import { createSoftwareAuthenticator, inProcessServer } from '@twofold/testing';
import { describe, expect, it } from 'vitest';

// Issue 14 item 10: a stolen access token must not enrol its holder's authenticator, and tokens
// issued before MFA was turned on or off must not outlive the change.

const ORIGIN = 'http://localhost:5173';
const WEBAUTHN = { rpId: 'localhost', rpName: 'Twofold', origins: [ORIGIN] };

describe('first enrolment needs the password', () => {
  it('refuses /mfa/setup without the password or with a wrong one, and enrols with it', async () => {
    const t = inProcessServer();
    const user = await t.newUser();
    const setup = (body?: object) =>
      t.call('POST', '/mfa/setup', { token: user.accessToken, ...(body && { body }) });
    const bare = await setup();
    expect(bare.status).toBe(403);
    expect(bare.body.error).toEqual({
      code: 'MFA_UNAUTHORIZED',
      message: MESSAGES.enrolPasswordRequired,
    });
    const wrong = await setup({ password: 'not the password' });
    expect(wrong.body.error).toEqual({
      code: 'MFA_UNAUTHORIZED',
      message: MESSAGES.incorrectPassword,
    });
    // Nothing is pending after the refusals.
    const verify = await t.call('POST', '/mfa/verify', {
      token: user.accessToken,
      body: { totp_code: '123456' },
    });
    expect(verify.body.error.code).toBe('MFA_NOT_PENDING');
    expect((await setup({ password: user.password })).status).toBe(200);
  });

  it('refuses a first passkey without the password (a TOTP code proves nothing yet)', async () => {
    const t = inProcessServer({ webauthn: WEBAUTHN });
    const user = await t.newUser();
    const options = (body: object) =>
      t.call('POST', '/mfa/webauthn/register/options', { token: user.accessToken, body });
    expect((await options({})).body.error).toEqual({
      code: 'MFA_UNAUTHORIZED',
      message: MESSAGES.enrolPasswordRequired,
    });
    expect((await options({ totp_code: '123456' })).body.error.code).toBe('MFA_UNAUTHORIZED');
    expect((await options({ password: user.password })).status).toBe(200);
  });

  it('keeps the crate behaviour (no body) with requirePasswordToEnrol: false', async () => {
    const t = inProcessServer({ requirePasswordToEnrol: false });
    const user = await t.newUser();
    expect((await t.call('POST', '/mfa/setup', { token: user.accessToken })).status).toBe(200);
  });
});

describe("turning MFA on or off ends the user's other sessions", () => {
  /** A second login of `user`: the session a thief would hold. */
  async function otherSession(t: ReturnType<typeof inProcessServer>, username: string) {
    const login = await t.call('POST', '/auth/login', {
      body: { username, password: 'correct horse battery staple' },
    });
    return login.body.data as { access_token: string; refresh_token: string };
  }

  it('on enable: earlier access and refresh tokens are refused, the enabling session goes on', async () => {
    const t = inProcessServer();
    const user = await t.newUser();
    const earlier = await otherSession(t, user.username);
    await t.enableMfa(user.accessToken);
    const status = (token: string) => t.call('GET', '/mfa/status', { token });
    const refresh = (token: string) =>
      t.call('POST', '/auth/refresh', { body: { refresh_token: token } });
    expect((await status(earlier.access_token)).body.error.code).toBe('INVALID_TOKEN');
    expect((await refresh(earlier.refresh_token)).body.error.code).toBe('INVALID_TOKEN');
    expect((await status(user.accessToken)).body.data.enabled).toBe(true);
    const renewed = await refresh(user.refreshToken);
    expect(renewed.status).toBe(200);
    expect((await status(renewed.body.data.access_token)).status).toBe(200);
  });

  it('on disable too, and a session begun after the enable is one of the others', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    // A login after the enable (with a second factor), then the enabling session disables MFA.
    const challenge = await t.startChallenge(user.username);
    const later = await t.completeChallenge(user.username, challenge, user.backupCodes[0] ?? '');
    const laterToken = later.body.data.access_token as string;
    expect((await t.call('GET', '/mfa/status', { token: laterToken })).status).toBe(200);
    t.clock.advance(30_000);
    const disabled = await t.call('POST', '/mfa/disable', {
      token: user.accessToken,
      body: { password: user.password, totp_code: t.codeFor(user.secret) },
    });
    expect(disabled.status).toBe(200);
    const refused = await t.call('GET', '/mfa/status', { token: laterToken });
    expect(refused.body.error.code).toBe('INVALID_TOKEN');
    expect((await t.call('GET', '/mfa/status', { token: user.accessToken })).status).toBe(200);
    // A new login works as before.
    const fresh = await otherSession(t, user.username);
    expect((await t.call('GET', '/mfa/status', { token: fresh.access_token })).status).toBe(200);
  });

  it('when a first passkey turns MFA on, and when removing the last one turns it off', async () => {
    const t = inProcessServer({ webauthn: WEBAUTHN });
    const user = await t.newUser();
    const status = (token: string) => t.call('GET', '/mfa/status', { token });
    const before = await otherSession(t, user.username);
    const options = await t.call('POST', '/mfa/webauthn/register/options', {
      token: user.accessToken,
      body: { password: user.password },
    });
    const response = await createSoftwareAuthenticator({ origin: ORIGIN }).register(
      options.body.data,
    );
    const added = await t.call('POST', '/mfa/webauthn/register/verify', {
      token: user.accessToken,
      body: { response },
    });
    expect(added.body.data.backup_codes).toHaveLength(10);
    expect((await status(before.access_token)).body.error.code).toBe('INVALID_TOKEN');
    // A second session now (a backup code as second factor), then the last passkey goes.
    const challenge = await t.startChallenge(user.username);
    const second = await t.completeChallenge(
      user.username,
      challenge,
      added.body.data.backup_codes[0],
    );
    const secondToken = second.body.data.access_token as string;
    const removed = await t.call(
      'DELETE',
      `/mfa/webauthn/credentials/${added.body.data.credential_id}`,
      { token: user.accessToken, body: { password: user.password } },
    );
    expect(removed.status).toBe(200);
    expect((await status(user.accessToken)).body.data.enabled).toBe(false);
    expect((await status(secondToken)).body.error.code).toBe('INVALID_TOKEN');
  });
});

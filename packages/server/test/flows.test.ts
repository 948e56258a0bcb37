import { inProcessServer } from '@twofold/testing';
import { describe, expect, it } from 'vitest';

describe('full flows', () => {
  it('register → login → status → setup → verify → status → MFA login (TOTP, then backup code) → regenerate → disable', async () => {
    const t = inProcessServer();
    const credentials = { username: 'grace', password: 'a long and careful password' };
    expect(
      (
        await t.call('POST', '/auth/register', {
          body: { ...credentials, email: 'grace@example.com' },
        })
      ).status,
    ).toBe(200);
    const login = await t.call('POST', '/auth/login', { body: credentials });
    const token = login.body.data.access_token;

    expect((await t.call('GET', '/mfa/status', { token })).body).toEqual({
      success: true,
      data: { enabled: false, methods: [], backup_codes_remaining: 0 },
    });
    const setup = await t.call('POST', '/mfa/setup', {
      token,
      body: { password: credentials.password },
    });
    const { secret, backup_codes } = setup.body.data;
    expect(
      (await t.call('POST', '/mfa/verify', { token, body: { totp_code: t.codeFor(secret) } })).body,
    ).toEqual({ success: true, message: 'MFA enabled successfully' });
    expect((await t.call('GET', '/mfa/status', { token })).body.data).toEqual({
      enabled: true,
      methods: ['totp'],
      backup_codes_remaining: 10,
    });

    t.clock.advance(30_000);
    const needsMfa = await t.call('POST', '/auth/login', { body: credentials });
    expect(needsMfa.body.error.code).toBe('MFA_REQUIRED');
    const withTotp = await t.call('POST', '/auth/login', {
      body: {
        ...credentials,
        challenge_id: needsMfa.body.error.details.challenge_id,
        mfa_code: t.codeFor(secret),
      },
    });
    expect(withTotp.status).toBe(200);

    const again = await t.call('POST', '/auth/login', { body: credentials });
    const withBackup = await t.call('POST', '/auth/login', {
      body: {
        ...credentials,
        challenge_id: again.body.error.details.challenge_id,
        mfa_code: backup_codes[3],
      },
    });
    expect(withBackup.status).toBe(200);
    const session = withBackup.body.data.access_token;

    const regenerated = await t.call('POST', '/mfa/regenerate-backup-codes', {
      token: session,
      body: { password: credentials.password },
    });
    expect(regenerated.body.data).toHaveLength(10);
    expect(
      (await t.call('GET', '/mfa/status', { token: session })).body.data.backup_codes_remaining,
    ).toBe(10);

    t.clock.advance(30_000);
    const disabled = await t.call('POST', '/mfa/disable', {
      token: session,
      body: { password: credentials.password, totp_code: t.codeFor(secret) },
    });
    expect(disabled.body.message).toBe('MFA disabled successfully');
    expect((await t.call('POST', '/auth/login', { body: credentials })).status).toBe(200);
  });

  it('email: send → outbox → verify → resend answers without sending to a verified address', async () => {
    const t = inProcessServer();
    const user = await t.newUser();
    await t.call('POST', '/auth/verify-email/send', { token: user.accessToken });
    const [mail] = (await t.call('GET', `/dev/outbox?to=${user.email}`)).body.data;
    const verified = await t.call('POST', '/auth/verify-email', { body: { token: mail.token } });
    expect(verified.body.data.verified).toBe(true);
    const resend = await t.call('POST', '/auth/resend-verification', {
      body: { email: user.email },
    });
    expect(resend.body.data).toEqual({
      sent: true,
      verification_token: '',
      message: 'If an account with that email exists, a verification token has been generated.',
    });
    expect((await t.call('GET', `/dev/outbox?to=${user.email}`)).body.data).toHaveLength(1);
  });
});

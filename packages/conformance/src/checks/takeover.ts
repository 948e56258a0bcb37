import { type Check, ensure, TWOFOLD } from '../check.js';

// Issue 14 item 10: what a stolen access token must not be able to do.
export const takeoverChecks: Check[] = [
  {
    id: 'mfa.setup.first-enrolment-needs-password',
    clause: '§3 rule 4',
    profiles: TWOFOLD,
    async run(t) {
      const user = await t.user();
      t.failure(
        await t.call('POST', '/mfa/setup', { token: user.accessToken }),
        'MFA_UNAUTHORIZED',
        'first setup without a password',
      );
      t.failure(
        await t.call('POST', '/mfa/setup', {
          token: user.accessToken,
          body: { password: 'not the password' },
        }),
        'MFA_UNAUTHORIZED',
        'first setup with a wrong password',
      );
      t.success(await t.setup(user), 'first setup with the password');
    },
  },
  {
    id: 'mfa.enable.ends-other-sessions',
    clause: '§3 rule 4',
    profiles: TWOFOLD,
    async run(t) {
      // Session A enables MFA; session B, a login from before, is what a thief would hold.
      const a = await t.user();
      const login = await t.call('POST', '/auth/login', {
        body: { username: a.username, password: a.password },
      });
      const b = t.success(login, 'second login');
      const setup = t.success(await t.setup(a), 'setup');
      t.success(
        await t.call('POST', '/mfa/verify', {
          token: a.accessToken,
          body: { totp_code: t.code(setup.secret) },
        }),
        'verify',
      );
      t.failure(
        await t.call('GET', '/mfa/status', { token: b.access_token }),
        'INVALID_TOKEN',
        'an access token of a session from before MFA was enabled',
      );
      t.failure(
        await t.call('POST', '/auth/refresh', { body: { refresh_token: b.refresh_token } }),
        'INVALID_TOKEN',
        'a refresh token of a session from before MFA was enabled',
      );
      const status = t.success(
        await t.call('GET', '/mfa/status', { token: a.accessToken }),
        'the enabling session',
      );
      ensure(status.enabled === true, 'the enabling session keeps working and sees MFA on');
      t.success(
        await t.call('POST', '/auth/refresh', { body: { refresh_token: a.refreshToken } }),
        "the enabling session's refresh",
      );
    },
  },
];

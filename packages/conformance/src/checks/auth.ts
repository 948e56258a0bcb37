import { BOTH, type Check, ensure, jsonEqual, show, TWOFOLD } from '../check.js';

export const authChecks: Check[] = [
  {
    id: 'auth.register.success-shape',
    clause: '§2 register',
    profiles: BOTH,
    async run(t) {
      const name = `shape_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
      const reply = await t.call('POST', '/auth/register', {
        body: {
          username: name,
          email: `${name}@conformance.example`,
          password: 'Conformance-password-1',
        },
      });
      const data = t.success(reply, 'register');
      ensure(
        jsonEqual(Object.keys(data).sort(), ['email', 'user_id', 'username']),
        `data members ${show(Object.keys(data))}`,
      );
      ensure(typeof data.user_id === 'string' && data.username === name, `data ${show(data)}`);
    },
  },
  {
    id: 'auth.register.conflict',
    clause: '§2 register',
    profiles: BOTH,
    async run(t) {
      const user = await t.user();
      const reply = await t.call('POST', '/auth/register', {
        body: { username: user.username, email: user.email, password: user.password },
      });
      t.failure(reply, 'CONFLICT', 'second registration', 409);
      ensure(
        reply.body.error.message === 'An account with the provided details already exists',
        `message ${reply.body.error.message}`,
      );
    },
  },
  {
    id: 'auth.login.success-shape',
    clause: '§2 login',
    profiles: BOTH,
    async run(t) {
      const user = await t.user();
      const data = t.success(
        await t.call('POST', '/auth/login', {
          body: { username: user.username, password: user.password },
        }),
        'login',
      );
      ensure(
        typeof data.access_token === 'string' && typeof data.refresh_token === 'string',
        'tokens missing',
      );
      ensure(
        data.token_type === 'Bearer' && typeof data.expires_in === 'number',
        `token_type/expires_in ${show(data)}`,
      );
      const u = data.user;
      ensure(u && typeof u.id === 'string' && u.username === user.username, `user ${show(u)}`);
      ensure(
        Array.isArray(u.roles) && Array.isArray(u.permissions),
        'user.roles and user.permissions must be arrays',
      );
    },
  },
  {
    id: 'auth.login.fields-required',
    clause: '§2 login errors',
    profiles: BOTH,
    async run(t) {
      const reply = await t.call('POST', '/auth/login', {
        body: { username: 'someone', password: '' },
      });
      t.failure(reply, 'VALIDATION_ERROR', 'empty password', 400);
      ensure(
        reply.body.error.message === 'Username and password are required',
        `message ${reply.body.error.message}`,
      );
    },
  },
  {
    id: 'auth.login.challenge-fields-together',
    clause: '§2 login errors',
    profiles: BOTH,
    async run(t) {
      const reply = await t.call('POST', '/auth/login', {
        body: { username: 'someone', password: 'x', challenge_id: 'mfa_x' },
      });
      t.failure(reply, 'VALIDATION_ERROR', 'challenge_id alone', 400);
      ensure(
        reply.body.error.message === 'challenge_id and mfa_code must be provided together',
        `message ${reply.body.error.message}`,
      );
    },
  },
  {
    id: 'auth.login.invalid-credentials',
    clause: '§2 login errors',
    profiles: BOTH,
    async run(t) {
      const user = await t.user();
      const reply = await t.call('POST', '/auth/login', {
        body: { username: user.username, password: 'not the password' },
      });
      const code =
        t.profile === 'auth-framework' && reply.body?.error?.code === 'AUTHENTICATION_FAILED'
          ? 'AUTHENTICATION_FAILED'
          : 'INVALID_CREDENTIALS';
      t.failure(reply, code, 'wrong password', 401);
    },
  },
  {
    id: 'auth.validate.success-shape',
    clause: '§2 validate',
    profiles: BOTH,
    async run(t) {
      const user = await t.user();
      const data = t.success(
        await t.call('GET', '/auth/validate', { token: user.accessToken }),
        'validate',
      );
      ensure(
        jsonEqual(Object.keys(data).sort(), ['id', 'permissions', 'roles', 'username']),
        `data members ${show(Object.keys(data))}`,
      );
      ensure(data.username === user.username && data.id === user.id, `data ${show(data)}`);
    },
  },
  {
    id: 'auth.bearer.missing-token-is-401',
    clause: '§2 authentication, §1 statuses',
    profiles: TWOFOLD,
    async run(t) {
      t.failure(await t.call('GET', '/auth/validate'), 'UNAUTHORIZED', 'no token');
      t.failure(
        await t.call('GET', '/mfa/status', { token: 'not-a-token' }),
        'INVALID_TOKEN',
        'garbage token',
      );
    },
  },
  {
    id: 'auth.bearer.scheme-case-insensitive',
    clause: '§2 authentication (Twofold)',
    profiles: TWOFOLD,
    async run(t) {
      const user = await t.user();
      t.success(
        await t.call('GET', '/auth/validate', {
          headers: { Authorization: `bearer ${user.accessToken}` },
        }),
        'lower-case scheme',
      );
    },
  },
  {
    id: 'auth.refresh.success-shape',
    clause: '§2 refresh',
    profiles: BOTH,
    async run(t) {
      const user = await t.user();
      const data = t.success(
        await t.call('POST', '/auth/refresh', { body: { refresh_token: user.refreshToken } }),
        'refresh',
      );
      ensure(
        typeof data.access_token === 'string' &&
          data.token_type === 'Bearer' &&
          typeof data.expires_in === 'number',
        `data ${show(data)}`,
      );
      t.success(
        await t.call('GET', '/auth/validate', { token: data.access_token }),
        'validate with the refreshed token',
      );
    },
  },
  {
    id: 'auth.refresh-token-rejected-as-bearer',
    clause: '§2.1 Twofold rule',
    profiles: TWOFOLD,
    async run(t) {
      const user = await t.user();
      t.failure(
        await t.call('GET', '/auth/validate', { token: user.refreshToken }),
        'INVALID_TOKEN',
        'refresh token as bearer',
      );
    },
  },
  {
    id: 'auth.logout.revokes-both-tokens',
    clause: '§2.1 Twofold rule',
    profiles: TWOFOLD,
    async run(t) {
      const user = await t.user();
      const reply = await t.call('POST', '/auth/logout', {
        token: user.accessToken,
        body: { refresh_token: user.refreshToken },
      });
      t.success(reply, 'logout');
      ensure(reply.body.message === 'Successfully logged out', `message ${reply.body.message}`);
      t.failure(
        await t.call('GET', '/auth/validate', { token: user.accessToken }),
        'INVALID_TOKEN',
        'access token after logout',
      );
      t.failure(
        await t.call('POST', '/auth/refresh', { body: { refresh_token: user.refreshToken } }),
        'INVALID_TOKEN',
        'refresh token after logout',
      );
    },
  },
];

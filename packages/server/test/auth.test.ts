import { inProcessServer } from '@twofold/testing';
import { describe, expect, it } from 'vitest';

describe('authentication routes (spec §2)', () => {
  const t = inProcessServer();

  it('registers with the exact success shape', async () => {
    const reply = await t.call('POST', '/auth/register', {
      body: { username: 'ada', email: 'Ada@Example.com', password: 'correct horse battery staple' },
    });
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body)).toEqual(['success', 'data']);
    expect(reply.body.data).toEqual({
      user_id: expect.stringMatching(/^user_[0-9a-f]{32}$/),
      username: 'ada',
      email: 'Ada@Example.com',
    });
  });

  it('refuses a taken username or address (any case) with 409 CONFLICT', async () => {
    for (const body of [
      { username: 'ADA', email: 'other@example.com', password: 'correct horse battery staple' },
      { username: 'other', email: 'ada@example.COM', password: 'correct horse battery staple' },
    ]) {
      const reply = await t.call('POST', '/auth/register', { body });
      expect(reply.status).toBe(409);
      expect(reply.body.error).toEqual({
        code: 'CONFLICT',
        message: 'An account with the provided details already exists',
      });
    }
    // The refused registration claimed nothing: the free name is still free.
    const free = await t.call('POST', '/auth/register', {
      body: {
        username: 'other',
        email: 'other@example.com',
        password: 'correct horse battery staple',
      },
    });
    expect(free.status).toBe(200);
  });

  it('validates registrations', async () => {
    const reply = await t.call('POST', '/auth/register', { body: { username: 'x' } });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'Username, email and password are required',
    });
  });

  it('logs in with the exact success shape', async () => {
    const reply = await t.call('POST', '/auth/login', {
      body: { username: 'ada', password: 'correct horse battery staple' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      user: {
        id: expect.stringMatching(/^user_/),
        username: 'ada',
        roles: ['user'],
        permissions: [],
      },
    });
  });

  it('refuses a missing password, a wrong password and an unknown user with the spec messages', async () => {
    const empty = await t.call('POST', '/auth/login', { body: { username: 'ada' } });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'Username and password are required',
    });
    for (const body of [
      { username: 'ada', password: 'wrong password!' },
      { username: 'nobody', password: 'correct horse battery staple' },
    ]) {
      const reply = await t.call('POST', '/auth/login', { body });
      expect(reply.status).toBe(401);
      expect(reply.body.error).toEqual({
        code: 'INVALID_CREDENTIALS',
        message: 'Invalid username or password',
      });
    }
  });

  it('describes the user on validate: the default role, no permissions', async () => {
    const user = await t.newUser();
    const reply = await t.call('GET', '/auth/validate', { token: user.accessToken });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual({
      id: user.id,
      username: user.username,
      roles: ['user'],
      permissions: [],
    });
  });

  it('answers a malformed Authorization header with UNAUTHORIZED and a JWT-shaped bad token with 401 INVALID_TOKEN', async () => {
    for (const header of ['Basic abc', 'Bearer', 'Bearer ']) {
      expect(
        (await t.call('GET', '/auth/validate', { headers: { Authorization: header } })).body.error
          .code,
      ).toBe('UNAUTHORIZED');
    }
    const bad = await t.call('GET', '/auth/validate', { token: 'not.a.jwt' });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('INVALID_TOKEN');
  });

  it('refuses a refresh token as bearer on the MFA routes too (Twofold rule)', async () => {
    const user = await t.newUser();
    expect((await t.call('GET', '/mfa/status', { token: user.refreshToken })).status).toBe(401);
  });

  it('refreshes with exactly three members, and refuses an access token or none as refresh token', async () => {
    const user = await t.newUser();
    const reply = await t.call('POST', '/auth/refresh', {
      body: { refresh_token: user.refreshToken },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
    });
    const wrong = await t.call('POST', '/auth/refresh', {
      body: { refresh_token: user.accessToken },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_TOKEN');
    const empty = await t.call('POST', '/auth/refresh', { body: {} });
    expect(empty.body.error.code).toBe('VALIDATION_ERROR');
  });

  it('expires access tokens after expires_in seconds', async () => {
    const user = await t.newUser();
    t.clock.advance(3601_000);
    expect(
      (await t.call('GET', '/auth/validate', { token: user.accessToken })).body.error.code,
    ).toBe('INVALID_TOKEN');
    t.clock.advance(-3601_000);
  });

  it('logout without a token or body still succeeds', async () => {
    const reply = await t.call('POST', '/auth/logout');
    expect(reply.body).toEqual({ success: true, message: 'Successfully logged out' });
  });
});

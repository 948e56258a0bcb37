import { inProcessServer } from '@twofold/testing';
import { describe, expect, it } from 'vitest';

describe('server.admin (seeding for tests and mocks)', () => {
  it('creates users that behave exactly like registered ones', async () => {
    const t = inProcessServer();
    const seeded = await t.server.admin.createUser({
      username: 'seeded',
      email: 'seeded@example.com',
      password: 'correct horse battery staple',
      emailVerified: true,
      mfa: {},
    });
    expect(seeded).toEqual({
      id: expect.stringMatching(/^user_/),
      username: 'seeded',
      email: 'seeded@example.com',
      secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
      backupCodes: expect.arrayContaining([expect.stringMatching(/^[A-Z2-9]{8}$/)]),
    });
    const credentials = { username: 'seeded', password: 'correct horse battery staple' };
    const challenge = await t.call('POST', '/auth/login', { body: credentials });
    expect(challenge.body.error.code).toBe('MFA_REQUIRED');
    const login = await t.call('POST', '/auth/login', {
      body: {
        ...credentials,
        challenge_id: challenge.body.error.details.challenge_id,
        mfa_code: t.codeFor(seeded.secret ?? ''),
      },
    });
    expect(login.status).toBe(200);
    const token = login.body.data.access_token;
    const send = await t.call('POST', '/auth/verify-email/send', { token });
    expect(send.body.data.message).toBe('Email is already verified');
    expect(await t.server.admin.totpSecret('seeded')).toBe(seeded.secret);
    expect(await t.server.admin.totpSecret('nobody')).toBeUndefined();
  });

  it('seeds the given secret and codes, and refuses duplicates', async () => {
    const t = inProcessServer();
    const seeded = await t.server.admin.createUser({
      username: 'fixed',
      email: 'fixed@example.com',
      password: 'correct horse battery staple',
      mfa: { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', backupCodes: ['ABCDEFGH', 'JKLMNPQR'] },
    });
    expect(seeded.secret).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    const login = await t.call('POST', '/auth/login', {
      body: { username: 'fixed', password: 'correct horse battery staple' },
    });
    const done = await t.call('POST', '/auth/login', {
      body: {
        username: 'fixed',
        password: 'correct horse battery staple',
        challenge_id: login.body.error.details.challenge_id,
        mfa_code: 'abcd-efgh',
      },
    });
    expect(done.status).toBe(200);
    await expect(
      t.server.admin.createUser({
        username: 'FIXED',
        email: 'other@example.com',
        password: 'correct horse battery staple',
      }),
    ).rejects.toThrow(/exists already/);
  });
});

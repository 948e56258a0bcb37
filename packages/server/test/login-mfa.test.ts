import { scryptPasswordHasher } from '@twofold/server';
import { type InProcessServer, inProcessServer } from '@twofold/testing';
import { describe, expect, it } from 'vitest';

async function startLogin(t: InProcessServer, user: { username: string; password: string }) {
  const reply = await t.call('POST', '/auth/login', {
    body: { username: user.username, password: user.password },
  });
  return reply;
}

describe('login with a second factor (spec §2.1)', () => {
  it('answers step 1 with 401 MFA_REQUIRED and a challenge', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    const reply = await startLogin(t, user);
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({
      success: false,
      error: {
        code: 'MFA_REQUIRED',
        message: 'Multi-factor authentication required',
        details: {
          challenge_id: expect.stringMatching(/^mfa_[0-9a-f]{32}$/),
          mfa_type: 'totp_or_backup_code',
          expires_at: new Date(t.clock.now() + 5 * 60_000).toISOString().replace('.000Z', 'Z'),
          expires_in: 300,
          message: 'Provide your current TOTP code or a backup code to complete login',
          methods: ['totp', 'backup_code'],
        },
      },
    });
  });

  it('completes with a TOTP code or a backup code, once', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    const first = await startLogin(t, user);
    const body = {
      username: user.username,
      password: user.password,
      challenge_id: first.body.error.details.challenge_id,
    };
    const ok = await t.call('POST', '/auth/login', {
      body: { ...body, mfa_code: t.codeFor(user.secret) },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.data.token_type).toBe('Bearer');
    // Single use: the same challenge cannot log in again, even with another valid factor.
    const reuse = await t.call('POST', '/auth/login', {
      body: { ...body, mfa_code: user.backupCodes[0] },
    });
    expect(reuse.body.error).toEqual({
      code: 'MFA_INVALID_CODE',
      message: 'Invalid or expired MFA challenge or code',
    });

    const second = await startLogin(t, user);
    const byBackup = await t.call('POST', '/auth/login', {
      body: {
        ...body,
        challenge_id: second.body.error.details.challenge_id,
        mfa_code: user.backupCodes[0]?.toLowerCase(),
      },
    });
    expect(byBackup.status).toBe(200);
    const status = await t.call('GET', '/mfa/status', { token: byBackup.body.data.access_token });
    expect(status.body.data.backup_codes_remaining).toBe(9);
  });

  it("refuses another user's challenge without using up that user's own code or counting it", async () => {
    // That the challenge survives for its owner is login.challenge.bound-to-user.
    const t = inProcessServer();
    const alice = await t.userWithMfa('alice');
    const mallory = await t.userWithMfa('mallory');
    const challenge = (await startLogin(t, alice)).body.error.details.challenge_id;
    for (let i = 0; i < 8; i++) {
      const foreign = await t.call('POST', '/auth/login', {
        body: {
          username: mallory.username,
          password: mallory.password,
          challenge_id: challenge,
          mfa_code: t.codeFor(mallory.secret),
        },
      });
      expect(foreign.body.error.code).toBe('MFA_INVALID_CODE');
    }
    // Mallory's code was neither used up nor counted against her (8 > 5 attempts).
    const malloryChallenge = (await startLogin(t, mallory)).body.error.details.challenge_id;
    const malloryOk = await t.call('POST', '/auth/login', {
      body: {
        username: mallory.username,
        password: mallory.password,
        challenge_id: malloryChallenge,
        mfa_code: t.codeFor(mallory.secret),
      },
    });
    expect(malloryOk.status).toBe(200);
  });

  it("burns a challenge after 5 wrong codes, whatever the user's attempt limit", async () => {
    const t = inProcessServer({ limits: { attemptsPerUser: 100 } });
    const user = await t.userWithMfa();
    const challenge = (await startLogin(t, user)).body.error.details.challenge_id;
    const body = { username: user.username, password: user.password, challenge_id: challenge };
    for (let i = 0; i < 5; i++) {
      const wrong = await t.call('POST', '/auth/login', {
        body: { ...body, mfa_code: 'WRONGCOD' },
      });
      expect(wrong.body.error.code).toBe('MFA_INVALID_CODE');
    }
    const late = await t.call('POST', '/auth/login', {
      body: { ...body, mfa_code: t.codeFor(user.secret) },
    });
    expect(late.body.error.code).toBe('MFA_INVALID_CODE');
  });

  it('hashes the password once per MFA login: the challenge of step 1 stands for it in step 2', async () => {
    const scrypt = scryptPasswordHasher({ logN: 4, r: 8, p: 1 });
    let verifications = 0;
    const t = inProcessServer({
      passwordHasher: {
        hash: (password) => scrypt.hash(password),
        verify: (password, stored) => {
          verifications++;
          return scrypt.verify(password, stored);
        },
      },
    });
    const user = await t.userWithMfa();
    verifications = 0;
    const challenge_id = (await startLogin(t, user)).body.error.details.challenge_id;
    expect(verifications).toBe(1);
    const step2 = await t.call('POST', '/auth/login', {
      body: {
        username: user.username,
        password: user.password,
        challenge_id,
        mfa_code: t.codeFor(user.secret),
      },
    });
    expect(step2.body.data.access_token).toEqual(expect.any(String));
    expect(verifications).toBe(1);
  });

  it('checks the password in step 2 when the challenge cannot stand for it (unknown, another user’s)', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    const other = await t.userWithMfa('other');
    const othersChallenge = (await startLogin(t, other)).body.error.details.challenge_id;
    for (const challenge_id of ['mfa_0123456789abcdef0123456789abcdef', othersChallenge]) {
      const reply = await t.call('POST', '/auth/login', {
        body: {
          username: user.username,
          password: 'not the password',
          challenge_id,
          mfa_code: t.codeFor(user.secret),
        },
      });
      expect(reply.body.error.code).toBe('INVALID_CREDENTIALS');
    }
  });
});

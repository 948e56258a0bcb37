import { type InProcessServer, inProcessServer } from '@twofold/testing';
import { describe, expect, it } from 'vitest';

// Spec §6 rules 1–3: codes as people type them, why a login challenge was refused, and the
// way back from a lost authenticator.

const spaced = (code: string) => `${code.slice(0, 3)} ${code.slice(3)}`;
const hyphenated = (code: string) => `${code.slice(0, 3)}-${code.slice(3)}`;
const STEP = 30_000;

async function challengeOf(t: InProcessServer, user: { username: string; password: string }) {
  const reply = await t.call('POST', '/auth/login', {
    body: { username: user.username, password: user.password },
  });
  return reply.body.error.details.challenge_id as string;
}

function step2(
  t: InProcessServer,
  user: { username: string; password: string },
  challenge_id: string,
  mfa_code: string,
) {
  return t.call('POST', '/auth/login', {
    body: { username: user.username, password: user.password, challenge_id, mfa_code },
  });
}

describe('TOTP codes as people type them (spec §6 rule 1)', () => {
  it('accepts "123 456" and "123-456" on verify, login, regenerate, passkey step-up and disable', async () => {
    const t = inProcessServer({
      webauthn: { rpId: 'localhost', rpName: 'T', origins: ['http://localhost:5173'] },
    });
    const user = await t.newUser();
    const setup = await t.call('POST', '/mfa/setup', {
      token: user.accessToken,
      body: { password: user.password },
    });
    const secret = setup.body.data.secret as string;
    const verify = await t.call('POST', '/mfa/verify', {
      token: user.accessToken,
      body: { totp_code: spaced(t.codeFor(secret)) },
    });
    expect(verify.body).toEqual({ success: true, message: 'MFA enabled successfully' });

    t.clock.advance(STEP);
    const login = await step2(t, user, await challengeOf(t, user), hyphenated(t.codeFor(secret)));
    expect(login.status).toBe(200);

    t.clock.advance(STEP);
    const regenerate = await t.call('POST', '/mfa/regenerate-backup-codes', {
      token: user.accessToken,
      body: { totp_code: spaced(t.codeFor(secret)) },
    });
    expect(regenerate.status).toBe(200);

    t.clock.advance(STEP);
    const options = await t.call('POST', '/mfa/webauthn/register/options', {
      token: user.accessToken,
      body: { totp_code: hyphenated(t.codeFor(secret)) },
    });
    expect(options.status).toBe(200);

    t.clock.advance(STEP);
    const disable = await t.call('POST', '/mfa/disable', {
      token: user.accessToken,
      body: {
        password: user.password,
        totp_code: `${t.codeFor(secret).replace(/(..)/g, '$1 ')}`.trim(),
      },
    });
    expect(disable.body).toEqual({ success: true, message: 'MFA disabled successfully' });
  });

  it('keeps the crate message for anything else', async () => {
    const t = inProcessServer();
    const user = await t.newUser();
    await t.call('POST', '/mfa/setup', {
      token: user.accessToken,
      body: { password: user.password },
    });
    for (const totp_code of ['123  456', '123_456', '123 45', ' 123456', '12345-6-']) {
      const reply = await t.call('POST', '/mfa/verify', {
        token: user.accessToken,
        body: { totp_code },
      });
      expect(reply.body.error).toEqual({
        code: 'VALIDATION_ERROR',
        message: 'TOTP code must be 6 digits',
      });
    }
  });
});

describe('why a login challenge was refused (spec §6 rule 2)', () => {
  it('says wrong_code with the wrong codes left, then exhausted, and keeps saying exhausted', async () => {
    const t = inProcessServer({ limits: { attemptsPerUser: 100 } });
    const user = await t.userWithMfa();
    const challenge = await challengeOf(t, user);
    for (let left = 4; left >= 1; left--) {
      const wrong = await step2(t, user, challenge, 'WRONGCOD');
      expect(wrong.status).toBe(400);
      expect(wrong.body.error).toEqual({
        code: 'MFA_INVALID_CODE',
        message: 'Invalid or expired MFA challenge or code',
        details: { reason: 'wrong_code', attempts_remaining: left },
      });
    }
    const burnt = await step2(t, user, challenge, '000000');
    expect(burnt.body.error.details).toEqual({ reason: 'exhausted' });
    // A valid code cannot revive it, and the refusal says why.
    const late = await step2(t, user, challenge, t.codeFor(user.secret));
    expect(late.body.error).toEqual({
      code: 'MFA_INVALID_CODE',
      message: 'Invalid or expired MFA challenge or code',
      details: { reason: 'exhausted' },
    });
  });

  it('tells an expired challenge from an unknown one, without counting attempts', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    const challenge = await challengeOf(t, user);
    t.clock.advance(5 * 60_000 + 1);
    // More tries than the user's limit (5): none of them is an attempt.
    for (let i = 0; i < 7; i++) {
      const expired = await step2(t, user, challenge, t.codeFor(user.secret));
      expect(expired.body.error).toEqual({
        code: 'MFA_INVALID_CODE',
        message: 'Invalid or expired MFA challenge or code',
        details: { reason: 'expired' },
      });
    }
    const unknown = await step2(t, user, 'mfa_0123456789abcdef0123456789abcdef', '123456');
    expect(unknown.body.error).toEqual({
      code: 'MFA_INVALID_CODE',
      message: 'Invalid or expired MFA challenge or code',
    });
    // The record is kept for an hour past expiry, then forgotten.
    t.clock.advance(60 * 60_000);
    const forgotten = await step2(t, user, challenge, t.codeFor(user.secret));
    expect(forgotten.body.error.details).toBeUndefined();
    const fresh = await step2(t, user, await challengeOf(t, user), t.codeFor(user.secret));
    expect(fresh.status).toBe(200);
  });

  it("says nothing about another user's challenge", async () => {
    const t = inProcessServer();
    const alice = await t.userWithMfa('alice');
    const mallory = await t.userWithMfa('mallory');
    const challenge = await challengeOf(t, alice);
    t.clock.advance(5 * 60_000 + 1);
    const foreign = await step2(t, mallory, challenge, t.codeFor(mallory.secret));
    expect(foreign.body.error).toEqual({
      code: 'MFA_INVALID_CODE',
      message: 'Invalid or expired MFA challenge or code',
    });
  });

  it('answers RATE_LIMITED with Retry-After on the wrong code that reaches the user limit', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    const challenge = await challengeOf(t, user);
    for (let i = 0; i < 4; i++) {
      expect((await step2(t, user, challenge, 'WRONGCOD')).body.error.code).toBe(
        'MFA_INVALID_CODE',
      );
    }
    // The 5th wrong code both burns the challenge and uses up the user's 5 attempts.
    const fifth = await step2(t, user, challenge, 'WRONGCOD');
    expect(fifth.status).toBe(429);
    expect(fifth.body.error.code).toBe('RATE_LIMITED');
    expect(Number(fifth.headers.get('Retry-After'))).toBeGreaterThan(14 * 60);
    // A fresh challenge with a valid code is refused the same way until the window ends.
    const next = await step2(t, user, await challengeOf(t, user), t.codeFor(user.secret));
    expect(next.status).toBe(429);
  });
});

describe('a lost authenticator is not a dead end (spec §6 rule 3)', () => {
  it('disables MFA with the password and a backup code, which is consumed', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    const [code] = user.backupCodes as [string];
    const wrongPassword = await t.call('POST', '/mfa/disable', {
      token: user.accessToken,
      body: { password: 'not the password', backup_code: code },
    });
    expect(wrongPassword.body.error.code).toBe('MFA_UNAUTHORIZED');
    const wrong = await t.call('POST', '/mfa/disable', {
      token: user.accessToken,
      body: { password: user.password, backup_code: 'ZZZZZZZZ' },
    });
    expect(wrong.body.error).toEqual({
      code: 'MFA_INVALID_CODE',
      message: 'Invalid or already-used backup code',
    });
    const ok = await t.call('POST', '/mfa/disable', {
      token: user.accessToken,
      body: { password: user.password, backup_code: code.toLowerCase() },
    });
    expect(ok.body).toEqual({ success: true, message: 'MFA disabled successfully' });
    const status = await t.call('GET', '/mfa/status', { token: user.accessToken });
    expect(status.body.data).toEqual({ enabled: false, methods: [], backup_codes_remaining: 0 });
  });

  it('counts a backup code on disable as an attempt', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    for (let i = 0; i < 5; i++) {
      await t.call('POST', '/mfa/disable', {
        token: user.accessToken,
        body: { password: user.password, backup_code: `WRONG${i}XX` },
      });
    }
    const valid = await t.call('POST', '/mfa/disable', {
      token: user.accessToken,
      body: { password: user.password, backup_code: user.backupCodes[0] },
    });
    expect(valid.body.error.code).toBe('RATE_LIMITED');
  });

  it('refuses setup while enabled without a proof, as the crate', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    const bare = await t.call('POST', '/mfa/setup', { token: user.accessToken });
    expect(bare.status).toBe(409);
    expect(bare.body.error.code).toBe('MFA_ALREADY_ENABLED');
    const passwordOnly = await t.call('POST', '/mfa/setup', {
      token: user.accessToken,
      body: { password: user.password },
    });
    expect(passwordOnly.body.error.code).toBe('MFA_UNAUTHORIZED');
    const wrongPassword = await t.call('POST', '/mfa/setup', {
      token: user.accessToken,
      body: { password: 'not the password', backup_code: user.backupCodes[0] },
    });
    expect(wrongPassword.body.error).toEqual({
      code: 'MFA_UNAUTHORIZED',
      message: 'Incorrect password',
    });
    const wrongCode = await t.call('POST', '/mfa/setup', {
      token: user.accessToken,
      body: { password: user.password, totp_code: '000000' },
    });
    expect(wrongCode.body.error.code).toBe('MFA_INVALID_CODE');
  });

  it('moves to a new authenticator with a backup code; the old one works until the new is verified', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    const oldSecret = user.secret;
    const setup = await t.call('POST', '/mfa/setup', {
      token: user.accessToken,
      body: { password: user.password, backup_code: user.backupCodes[0] },
    });
    expect(setup.status).toBe(200);
    const newSecret = setup.body.data.secret as string;
    const newCodes = setup.body.data.backup_codes as string[];
    expect(newSecret).not.toBe(oldSecret);

    // Pending: the old secret still logs in, and the consumed backup code is gone.
    const reused = await step2(t, user, await challengeOf(t, user), user.backupCodes[0] as string);
    expect(reused.body.error.code).toBe('MFA_INVALID_CODE');
    const withOld = await step2(t, user, await challengeOf(t, user), t.codeFor(oldSecret));
    expect(withOld.status).toBe(200);

    // The new secret's code in the same step as the old one's is not a replay.
    const verify = await t.call('POST', '/mfa/verify', {
      token: user.accessToken,
      body: { totp_code: t.codeFor(newSecret) },
    });
    expect(verify.body).toEqual({ success: true, message: 'MFA enabled successfully' });

    t.clock.advance(STEP);
    const oldRefused = await step2(t, user, await challengeOf(t, user), t.codeFor(oldSecret));
    expect(oldRefused.body.error.code).toBe('MFA_INVALID_CODE');
    const oldCode = await step2(t, user, await challengeOf(t, user), user.backupCodes[1] as string);
    expect(oldCode.body.error.code).toBe('MFA_INVALID_CODE');
    const withNew = await step2(t, user, await challengeOf(t, user), t.codeFor(newSecret));
    expect(withNew.status).toBe(200);
    const newBackup = await step2(t, user, await challengeOf(t, user), newCodes[0] as string);
    expect(newBackup.status).toBe(200);
  });

  it("takes the new app's next code although the old app last answered for that step", async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    // The old app's code of the next step (inside the clock-drift window) logs in…
    const ahead = await step2(t, user, await challengeOf(t, user), t.codeFor(user.secret, 1));
    expect(ahead.status).toBe(200);
    const setup = await t.call('POST', '/mfa/setup', {
      token: user.accessToken,
      body: { password: user.password, backup_code: user.backupCodes[0] },
    });
    const newSecret = setup.body.data.secret as string;
    const verify = await t.call('POST', '/mfa/verify', {
      token: user.accessToken,
      body: { totp_code: t.codeFor(newSecret) },
    });
    expect(verify.status).toBe(200);
    // …and the new app's code of that step is its first use, not a replay.
    const next = await step2(t, user, await challengeOf(t, user), t.codeFor(newSecret, 1));
    expect(next.status).toBe(200);
    const replayed = await step2(t, user, await challengeOf(t, user), t.codeFor(newSecret, 1));
    expect(replayed.body.error.code).toBe('MFA_INVALID_CODE');
  });

  it('moves with a current TOTP code as the proof too', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    const setup = await t.call('POST', '/mfa/setup', {
      token: user.accessToken,
      body: { password: user.password, totp_code: spaced(t.codeFor(user.secret)) },
    });
    expect(setup.status).toBe(200);
    const status = await t.call('GET', '/mfa/status', { token: user.accessToken });
    expect(status.body.data).toEqual({
      enabled: true,
      methods: ['totp'],
      backup_codes_remaining: 10,
    });
  });

  it('lets a passkey-only user add TOTP with the password and a backup code', async () => {
    const t = inProcessServer({
      webauthn: { rpId: 'localhost', rpName: 'T', origins: ['http://localhost:5173'] },
    });
    const user = await t.newUser();
    const { backupCodes } = await t.server.admin.addPasskey(user.username, {
      credentialId: 'AAAAAAAAAAAAAAAAAAAAAA',
      publicKey:
        'pQECAyYgASFYIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIlggAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    });
    const bare = await t.call('POST', '/mfa/setup', { token: user.accessToken });
    expect(bare.body.error.code).toBe('MFA_ALREADY_ENABLED');
    const setup = await t.call('POST', '/mfa/setup', {
      token: user.accessToken,
      body: { password: user.password, backup_code: backupCodes?.[0] },
    });
    expect(setup.status).toBe(200);
    const verify = await t.call('POST', '/mfa/verify', {
      token: user.accessToken,
      body: { totp_code: t.codeFor(setup.body.data.secret) },
    });
    expect(verify.status).toBe(200);
    const status = await t.call('GET', '/mfa/status', { token: user.accessToken });
    expect(status.body.data.methods).toEqual(['totp', 'webauthn']);
  });
});

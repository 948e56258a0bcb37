import { parseKeyUri } from '@twofold/otp';
import { inProcessServer } from '@twofold/testing';
import { describe, expect, it } from 'vitest';

const err = (code: string, message: string) => ({ success: false, error: { code, message } });

describe('MFA routes (spec §3)', () => {
  it('sets up with the exact shape: otpauth URI, 32-character secret, 10 codes of 8', async () => {
    const t = inProcessServer();
    const user = await t.newUser();
    const reply = await t.call('POST', '/mfa/setup', { token: user.accessToken });
    expect(reply.status).toBe(200);
    const { qr_code, secret, backup_codes } = reply.body.data;
    expect(Object.keys(reply.body.data)).toEqual(['qr_code', 'secret', 'backup_codes']);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(backup_codes).toHaveLength(10);
    for (const code of backup_codes)
      expect(code).toMatch(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/);
    expect(qr_code).toMatch(
      new RegExp(
        `^otpauth://totp/AuthFramework:${user.id}\\?secret=${secret}&issuer=AuthFramework`,
      ),
    );
    expect(parseKeyUri(qr_code)).toMatchObject({
      issuer: 'AuthFramework',
      account: user.id,
      digits: 6,
      period: 30,
      algorithm: 'SHA1',
    });
  });

  it('uses the configured issuer and account label', async () => {
    const t = inProcessServer({ totpIssuer: 'Acme', totpAccount: (u) => u.email });
    const user = await t.newUser();
    const reply = await t.call('POST', '/mfa/setup', { token: user.accessToken });
    expect(parseKeyUri(reply.body.data.qr_code)).toMatchObject({
      issuer: 'Acme',
      account: user.email,
    });
  });

  it('validates /mfa/verify before authenticating, with the spec messages', async () => {
    const t = inProcessServer();
    expect((await t.call('POST', '/mfa/verify', { body: {} })).body).toEqual(
      err('VALIDATION_ERROR', 'TOTP code is required'),
    );
    expect((await t.call('POST', '/mfa/verify', { body: { totp_code: '12345' } })).body).toEqual(
      err('VALIDATION_ERROR', 'TOTP code must be 6 digits'),
    );
    expect(
      (await t.call('POST', '/mfa/verify', { body: { totp_code: '123456' } })).body.error.code,
    ).toBe('UNAUTHORIZED');
  });

  it('answers verify before setup with 409 MFA_NOT_PENDING, and a wrong code with MFA_INVALID_CODE', async () => {
    const t = inProcessServer();
    const user = await t.newUser();
    const early = await t.call('POST', '/mfa/verify', {
      token: user.accessToken,
      body: { totp_code: '123456' },
    });
    expect(early.status).toBe(409);
    expect(early.body).toEqual(
      err('MFA_NOT_PENDING', 'No pending MFA setup found. Call /mfa/setup first.'),
    );
    const setup = await t.call('POST', '/mfa/setup', { token: user.accessToken });
    const wrong = t.codeFor(setup.body.data.secret, 5);
    const reply = await t.call('POST', '/mfa/verify', {
      token: user.accessToken,
      body: { totp_code: wrong },
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual(err('MFA_INVALID_CODE', 'Invalid TOTP code'));
  });

  it('enables MFA on verify and reports it in status', async () => {
    const t = inProcessServer();
    const user = await t.newUser();
    const before = await t.call('GET', '/mfa/status', { token: user.accessToken });
    expect(before.body).toEqual({
      success: true,
      data: { enabled: false, methods: [], backup_codes_remaining: 0 },
    });
    const setup = await t.call('POST', '/mfa/setup', { token: user.accessToken });
    const verify = await t.call('POST', '/mfa/verify', {
      token: user.accessToken,
      body: { totp_code: t.codeFor(setup.body.data.secret) },
    });
    expect(verify.body).toEqual({ success: true, message: 'MFA enabled successfully' });
    const after = await t.call('GET', '/mfa/status', { token: user.accessToken });
    expect(after.body.data).toEqual({
      enabled: true,
      methods: ['totp'],
      backup_codes_remaining: 10,
    });
  });

  it('refuses setup while MFA is enabled with 409 MFA_ALREADY_ENABLED (no silent takeover)', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    const reply = await t.call('POST', '/mfa/setup', { token: user.accessToken });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe('MFA_ALREADY_ENABLED');
    // The enrolled secret still works.
    expect(
      (
        await t.call('POST', '/mfa/verify-backup-code', {
          token: user.accessToken,
          body: { backup_code: user.backupCodes[0] },
        })
      ).status,
    ).toBe(200);
  });

  it('lets a second setup replace the pending secret and codes together', async () => {
    const t = inProcessServer();
    const user = await t.newUser();
    const first = await t.call('POST', '/mfa/setup', { token: user.accessToken });
    const second = await t.call('POST', '/mfa/setup', { token: user.accessToken });
    expect(second.body.data.secret).not.toBe(first.body.data.secret);
    const stale = await t.call('POST', '/mfa/verify', {
      token: user.accessToken,
      body: { totp_code: t.codeFor(first.body.data.secret) },
    });
    expect(stale.body.error.code).toBe('MFA_INVALID_CODE');
    const fresh = await t.call('POST', '/mfa/verify', {
      token: user.accessToken,
      body: { totp_code: t.codeFor(second.body.data.secret) },
    });
    expect(fresh.status).toBe(200);
    // The codes activated are the second setup's.
    const oldCode = await t.call('POST', '/mfa/verify-backup-code', {
      token: user.accessToken,
      body: { backup_code: first.body.data.backup_codes[0] },
    });
    expect(oldCode.body.error.code).toBe('MFA_INVALID_CODE');
    const newCode = await t.call('POST', '/mfa/verify-backup-code', {
      token: user.accessToken,
      body: { backup_code: second.body.data.backup_codes[0] },
    });
    expect(newCode.status).toBe(200);
  });

  it('expires a pending setup after 10 minutes', async () => {
    const t = inProcessServer();
    const user = await t.newUser();
    const setup = await t.call('POST', '/mfa/setup', { token: user.accessToken });
    t.clock.advance(10 * 60_000 + 1_000);
    const reply = await t.call('POST', '/mfa/verify', {
      token: user.accessToken,
      body: { totp_code: t.codeFor(setup.body.data.secret) },
    });
    expect(reply.body.error.code).toBe('MFA_NOT_PENDING');
  });

  it('refuses a replayed TOTP code in setup-verify, disable and login (rule 1)', async () => {
    const t = inProcessServer();
    const user = await t.newUser();
    const setup = await t.call('POST', '/mfa/setup', { token: user.accessToken });
    const code = t.codeFor(setup.body.data.secret);
    expect(
      (await t.call('POST', '/mfa/verify', { token: user.accessToken, body: { totp_code: code } }))
        .status,
    ).toBe(200);
    // Same step, same code, now against the active secret: disable must refuse it.
    const disable = await t.call('POST', '/mfa/disable', {
      token: user.accessToken,
      body: { password: user.password, totp_code: code },
    });
    expect(disable.body.error.code).toBe('MFA_INVALID_CODE');
    // Login: a code accepted once is refused the second time.
    t.clock.advance(30_000);
    const next = t.codeFor(setup.body.data.secret);
    const step1 = await t.call('POST', '/auth/login', {
      body: { username: user.username, password: user.password },
    });
    const challenge = step1.body.error.details.challenge_id;
    const ok = await t.call('POST', '/auth/login', {
      body: {
        username: user.username,
        password: user.password,
        challenge_id: challenge,
        mfa_code: next,
      },
    });
    expect(ok.status).toBe(200);
    const again = await t.call('POST', '/auth/login', {
      body: { username: user.username, password: user.password },
    });
    const replay = await t.call('POST', '/auth/login', {
      body: {
        username: user.username,
        password: user.password,
        challenge_id: again.body.error.details.challenge_id,
        mfa_code: next,
      },
    });
    expect(replay.body.error.code).toBe('MFA_INVALID_CODE');
  });

  it('disables in the spec order: fields, password (nothing consumed), enabled, code', async () => {
    const t = inProcessServer();
    const plain = await t.newUser();
    expect((await t.call('POST', '/mfa/disable', { body: { password: 'x' } })).body).toEqual(
      err('VALIDATION_ERROR', 'Password and TOTP code are required'),
    );
    const wrongPassword = await t.call('POST', '/mfa/disable', {
      token: plain.accessToken,
      body: { password: 'wrong', totp_code: '123456' },
    });
    expect(wrongPassword.status).toBe(403);
    expect(wrongPassword.body).toEqual(err('MFA_UNAUTHORIZED', 'Incorrect password'));
    const notEnabled = await t.call('POST', '/mfa/disable', {
      token: plain.accessToken,
      body: { password: plain.password, totp_code: '123456' },
    });
    expect(notEnabled.status).toBe(409);
    expect(notEnabled.body).toEqual(err('MFA_NOT_ENABLED', 'MFA is not enabled for this account'));

    const user = await t.userWithMfa();
    const code = t.codeFor(user.secret);
    const badPassword = await t.call('POST', '/mfa/disable', {
      token: user.accessToken,
      body: { password: 'wrong', totp_code: code },
    });
    expect(badPassword.body.error.code).toBe('MFA_UNAUTHORIZED');
    // The code was not consumed by the refused request: it still disables.
    const done = await t.call('POST', '/mfa/disable', {
      token: user.accessToken,
      body: { password: user.password, totp_code: code },
    });
    expect(done.body).toEqual({ success: true, message: 'MFA disabled successfully' });
    const status = await t.call('GET', '/mfa/status', { token: user.accessToken });
    expect(status.body.data).toEqual({ enabled: false, methods: [], backup_codes_remaining: 0 });
    // Every MFA record is gone: backup codes no longer work.
    const backup = await t.call('POST', '/mfa/verify-backup-code', {
      token: user.accessToken,
      body: { backup_code: user.backupCodes[0] },
    });
    expect(backup.body.error.code).toBe('MFA_ERROR');
  });

  it('requires a step-up proof to regenerate backup codes (rule 4)', async () => {
    const t = inProcessServer();
    const plain = await t.newUser();
    expect(
      (
        await t.call('POST', '/mfa/regenerate-backup-codes', {
          token: plain.accessToken,
          body: { password: plain.password },
        })
      ).body.error.code,
    ).toBe('MFA_NOT_ENABLED');
    const user = await t.userWithMfa();
    const bare = await t.call('POST', '/mfa/regenerate-backup-codes', { token: user.accessToken });
    expect(bare.status).toBe(403);
    expect(bare.body.error.code).toBe('MFA_UNAUTHORIZED');
    const wrong = await t.call('POST', '/mfa/regenerate-backup-codes', {
      token: user.accessToken,
      body: { password: 'nope' },
    });
    expect(wrong.body.error.code).toBe('MFA_UNAUTHORIZED');
    const byPassword = await t.call('POST', '/mfa/regenerate-backup-codes', {
      token: user.accessToken,
      body: { password: user.password },
    });
    expect(byPassword.status).toBe(200);
    expect(Array.isArray(byPassword.body.data)).toBe(true);
    expect(byPassword.body.data).toHaveLength(10);
    const byCode = await t.call('POST', '/mfa/regenerate-backup-codes', {
      token: user.accessToken,
      body: { totp_code: t.codeFor(user.secret) },
    });
    expect(byCode.status).toBe(200);
    // All earlier codes are replaced.
    const old = await t.call('POST', '/mfa/verify-backup-code', {
      token: user.accessToken,
      body: { backup_code: byPassword.body.data[0] },
    });
    expect(old.body.error.code).toBe('MFA_INVALID_CODE');
    const current = await t.call('POST', '/mfa/verify-backup-code', {
      token: user.accessToken,
      body: { backup_code: byCode.body.data[0] },
    });
    expect(current.status).toBe(200);
  });

  it('regenerates without a proof when configured for crate compatibility', async () => {
    const t = inProcessServer({ requireStepUpForBackupCodes: false });
    const user = await t.userWithMfa();
    const reply = await t.call('POST', '/mfa/regenerate-backup-codes', { token: user.accessToken });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toHaveLength(10);
  });

  it('verifies and consumes backup codes: trimmed, any case, spaces or hyphens (rule 6)', async () => {
    const t = inProcessServer();
    expect(
      (await t.call('POST', '/mfa/verify-backup-code', { body: { backup_code: '  ' } })).body,
    ).toEqual(err('VALIDATION_ERROR', 'Backup code is required'));
    const plain = await t.newUser();
    const none = await t.call('POST', '/mfa/verify-backup-code', {
      token: plain.accessToken,
      body: { backup_code: 'ABCDEFGH' },
    });
    expect(none.status).toBe(500);
    expect(none.body).toEqual(err('MFA_ERROR', 'No backup codes found for this account'));

    const user = await t.userWithMfa();
    const [first = '', second = ''] = user.backupCodes;
    const typed = ` ${first.slice(0, 4).toLowerCase()}-${first.slice(4)} `;
    const ok = await t.call('POST', '/mfa/verify-backup-code', {
      token: user.accessToken,
      body: { backup_code: typed },
    });
    expect(ok.body).toEqual({ success: true, message: 'Backup code verified' });
    const used = await t.call('POST', '/mfa/verify-backup-code', {
      token: user.accessToken,
      body: { backup_code: first },
    });
    expect(used.body).toEqual(err('MFA_INVALID_CODE', 'Invalid or already-used backup code'));
    const spaced = `${second.slice(0, 4)} ${second.slice(4)}`;
    expect(
      (
        await t.call('POST', '/mfa/verify-backup-code', {
          token: user.accessToken,
          body: { backup_code: spaced },
        })
      ).status,
    ).toBe(200);
    const status = await t.call('GET', '/mfa/status', { token: user.accessToken });
    expect(status.body.data.backup_codes_remaining).toBe(8);
  });
});

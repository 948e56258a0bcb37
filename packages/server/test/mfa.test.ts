import { parseKeyUri } from '@twofold/otp';
import { inProcessServer } from '@twofold/testing';
import { describe, expect, it } from 'vitest';

const err = (code: string, message: string) => ({ success: false, error: { code, message } });

describe('MFA routes (spec §3)', () => {
  it("sets up with members in order and the crate's otpauth URI: issuer AuthFramework, the user id as account", async () => {
    const t = inProcessServer();
    const user = await t.newUser();
    const reply = await t.call('POST', '/mfa/setup', {
      token: user.accessToken,
      body: { password: user.password },
    });
    expect(reply.status).toBe(200);
    const { qr_code, secret, backup_codes } = reply.body.data;
    expect(Object.keys(reply.body.data)).toEqual(['qr_code', 'secret', 'backup_codes']);
    expect(backup_codes).toHaveLength(10);
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
    const reply = await t.call('POST', '/mfa/setup', {
      token: user.accessToken,
      body: { password: user.password },
    });
    expect(parseKeyUri(reply.body.data.qr_code)).toMatchObject({
      issuer: 'Acme',
      account: user.email,
    });
  });

  it('answers /mfa/verify errors as bare {code, message}: no token, before setup, wrong code', async () => {
    const t = inProcessServer();
    expect(
      (await t.call('POST', '/mfa/verify', { body: { totp_code: '123456' } })).body.error.code,
    ).toBe('UNAUTHORIZED');
    const user = await t.newUser();
    const early = await t.call('POST', '/mfa/verify', {
      token: user.accessToken,
      body: { totp_code: '123456' },
    });
    expect(early.body).toEqual(
      err('MFA_NOT_PENDING', 'No pending MFA setup found. Call /mfa/setup first.'),
    );
    const setup = await t.call('POST', '/mfa/setup', {
      token: user.accessToken,
      body: { password: user.password },
    });
    const wrong = t.codeFor(setup.body.data.secret, 5);
    const reply = await t.call('POST', '/mfa/verify', {
      token: user.accessToken,
      body: { totp_code: wrong },
    });
    expect(reply.body).toEqual(err('MFA_INVALID_CODE', 'Invalid TOTP code'));
  });

  it('leaves the enrolment intact when it refuses setup while MFA is enabled (no silent takeover)', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    const reply = await t.call('POST', '/mfa/setup', { token: user.accessToken });
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

  it('activates the backup codes of the second setup, whose secret was verified', async () => {
    const t = inProcessServer();
    const user = await t.newUser();
    const first = await t.call('POST', '/mfa/setup', {
      token: user.accessToken,
      body: { password: user.password },
    });
    const second = await t.call('POST', '/mfa/setup', {
      token: user.accessToken,
      body: { password: user.password },
    });
    expect(second.body.data.secret).not.toBe(first.body.data.secret);
    const fresh = await t.call('POST', '/mfa/verify', {
      token: user.accessToken,
      body: { totp_code: t.codeFor(second.body.data.secret) },
    });
    expect(fresh.status).toBe(200);
    const newCode = await t.call('POST', '/mfa/verify-backup-code', {
      token: user.accessToken,
      body: { backup_code: second.body.data.backup_codes[0] },
    });
    expect(newCode.status).toBe(200);
  });

  it('checks the password before whether MFA is enabled, and disabling removes every MFA record', async () => {
    const t = inProcessServer();
    const plain = await t.newUser();
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
    const done = await t.call('POST', '/mfa/disable', {
      token: user.accessToken,
      body: { password: user.password, totp_code: t.codeFor(user.secret) },
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

  it('refuses a bare regenerate with 403 MFA_UNAUTHORIZED, and each regeneration replaces the one before', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    const bare = await t.call('POST', '/mfa/regenerate-backup-codes', { token: user.accessToken });
    expect(bare.status).toBe(403);
    expect(bare.body.error.code).toBe('MFA_UNAUTHORIZED');
    const byPassword = await t.call('POST', '/mfa/regenerate-backup-codes', {
      token: user.accessToken,
      body: { password: user.password },
    });
    expect(byPassword.status).toBe(200);
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

  it('reads a blank backup code as missing, and takes a space inside a code (rule 6)', async () => {
    const t = inProcessServer();
    expect(
      (await t.call('POST', '/mfa/verify-backup-code', { body: { backup_code: '  ' } })).body,
    ).toEqual(err('VALIDATION_ERROR', 'Backup code is required'));
    const user = await t.userWithMfa();
    const [first = ''] = user.backupCodes;
    const spaced = `${first.slice(0, 4)} ${first.slice(4)}`;
    expect(
      (
        await t.call('POST', '/mfa/verify-backup-code', {
          token: user.accessToken,
          body: { backup_code: spaced },
        })
      ).status,
    ).toBe(200);
    // It was the code itself that was used up.
    const used = await t.call('POST', '/mfa/verify-backup-code', {
      token: user.accessToken,
      body: { backup_code: first },
    });
    expect(used.body.error.code).toBe('MFA_INVALID_CODE');
  });
});

import { describe, expect, it } from 'vitest';
import { MESSAGES } from './messages.js';
import { normalizeTotpCode } from './totp-code.js';
import { validateOptionalRequest, validateRequest } from './validators.js';

const invalid = (message: string) => ({ ok: false, message });

describe('validateRequest', () => {
  it('refuses bodies that are not JSON objects', () => {
    for (const body of [null, [], 'x', 1, true]) {
      expect(validateRequest('auth.login', body)).toEqual(invalid(MESSAGES.bodyNotObject));
    }
  });

  it('reports a field of the wrong type, and drops unknown fields', () => {
    expect(validateRequest('auth.login', { username: 1, password: 'x' })).toEqual(
      invalid('username must be a string'),
    );
    expect(validateRequest('mfa.verify', { totp_code: ['123456'] })).toEqual(
      invalid('totp_code must be a string'),
    );
    expect(validateRequest('email.verify', { token: 'abc', admin: true })).toEqual({
      ok: true,
      value: { token: 'abc' },
    });
  });

  it('applies the login rules of spec §2', () => {
    expect(validateRequest('auth.login', {})).toEqual(invalid(MESSAGES.loginFieldsRequired));
    expect(validateRequest('auth.login', { username: 'a', password: '' })).toEqual(
      invalid('Username and password are required'),
    );
    expect(
      validateRequest('auth.login', { username: 'a', password: 'b', challenge_id: 'c' }),
    ).toEqual(invalid('challenge_id and mfa_code must be provided together'));
    expect(
      validateRequest('auth.login', { username: 'a', password: 'b', mfa_code: '123456' }),
    ).toEqual(invalid('challenge_id and mfa_code must be provided together'));
    expect(
      validateRequest('auth.login', {
        username: 'a',
        password: 'b',
        challenge_id: 'c',
        mfa_code: 'd',
      }).ok,
    ).toBe(true);
  });

  it('applies the MFA rules of spec §3', () => {
    expect(validateRequest('mfa.verify', {})).toEqual(invalid('TOTP code is required'));
    for (const code of ['12345', '1234567', '12345a', ' 123456', '１２３４５６']) {
      expect(validateRequest('mfa.verify', { totp_code: code })).toEqual(
        invalid('TOTP code must be 6 digits'),
      );
    }
    expect(validateRequest('mfa.disable', { password: 'x' })).toEqual(
      invalid('Password and TOTP code are required'),
    );
    expect(validateRequest('mfa.disable', { totp_code: '123456' })).toEqual(
      invalid('Password and TOTP code are required'),
    );
    expect(validateRequest('mfa.verifyBackupCode', { backup_code: '   ' })).toEqual(
      invalid('Backup code is required'),
    );
  });

  it('reads TOTP codes as people type them on every route that takes one (spec §6 rule 1)', () => {
    for (const typed of ['123 456', '123-456', '12 34 56', '1-2-3-4-5-6']) {
      expect(normalizeTotpCode(typed)).toBe('123456');
      expect(validateRequest('mfa.verify', { totp_code: typed })).toEqual({
        ok: true,
        value: { totp_code: '123456' },
      });
      for (const route of ['mfa.disable', 'mfa.regenerateBackupCodes'] as const) {
        const result = validateRequest(route, { password: 'pw', totp_code: typed });
        expect(result.ok && result.value.totp_code).toBe('123456');
      }
      const setup = validateOptionalRequest('mfa.setup', { password: 'pw', totp_code: typed });
      expect(setup.ok && setup.value?.totp_code).toBe('123456');
    }
    // Anything else keeps the crate's message.
    for (const code of ['123  456', '123_456', '12345-', '-123456', '123 45', '123.456']) {
      expect(validateRequest('mfa.verify', { totp_code: code })).toEqual(
        invalid('TOTP code must be 6 digits'),
      );
    }
  });

  it('takes a backup code in place of the TOTP code to disable (spec §6 rule 3)', () => {
    expect(validateRequest('mfa.disable', { password: 'pw', backup_code: 'ABCD-EFGH' })).toEqual({
      ok: true,
      value: { password: 'pw', totp_code: '', backup_code: 'ABCD-EFGH' },
    });
    expect(validateRequest('mfa.disable', { password: 'pw', backup_code: '  ' })).toEqual(
      invalid('Password and TOTP code are required'),
    );
    expect(
      validateRequest('mfa.disable', { password: 'pw', totp_code: '123456', backup_code: 'X' }),
    ).toEqual(invalid('Provide totp_code or backup_code, not both'));
  });

  it('validates the optional body of mfa.setup by type only', () => {
    expect(validateOptionalRequest('mfa.setup', {})).toEqual({ ok: true, value: {} });
    expect(validateOptionalRequest('mfa.setup', { backup_code: 7 })).toEqual(
      invalid('backup_code must be a string'),
    );
    expect(validateOptionalRequest('mfa.status', { anything: 1 })).toEqual({
      ok: true,
      value: undefined,
    });
  });

  it('applies the email rules of spec §4', () => {
    expect(validateRequest('email.verify', { token: '' })).toEqual(
      invalid('Verification token is required'),
    );
    expect(validateRequest('email.resend', {})).toEqual(invalid('Email address is required'));
  });

  it('checks registrations', () => {
    const good = { username: 'ada_l', email: 'ada@example.com', password: 'correct horse' };
    expect(validateRequest('auth.register', good)).toEqual({ ok: true, value: good });
    expect(validateRequest('auth.register', { ...good, email: '' })).toEqual(
      invalid(MESSAGES.registerFieldsRequired),
    );
    expect(validateRequest('auth.register', { ...good, username: 'a b' })).toEqual(
      invalid(MESSAGES.usernameFormat),
    );
    expect(validateRequest('auth.register', { ...good, email: 'ada' })).toEqual(
      invalid(MESSAGES.emailFormat),
    );
    expect(validateRequest('auth.register', { ...good, password: 'short' })).toEqual(
      invalid(MESSAGES.passwordLength),
    );
  });
});

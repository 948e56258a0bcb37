import { describe, expect, it } from 'vitest';
import { ConfigError, HELP, passwordCostWarning, readConfig, SETTINGS } from '../src/config.js';

describe('readConfig', () => {
  it('defaults to development on 127.0.0.1:8787 with ./.twofold', () => {
    expect(readConfig([], {})).toEqual({
      port: 8787,
      host: '127.0.0.1',
      mode: 'development',
      dataDir: '.twofold',
      smtpUrl: undefined,
      smtpFrom: 'no-reply@localhost',
      secret: undefined,
      encryptionKey: undefined,
      previousEncryptionKeys: [],
      demo: true,
      corsOrigins: [],
      publicUrl: undefined,
      verifyUrl: undefined,
      trustProxy: 0,
      databaseUrl: undefined,
      rpId: undefined,
      rpName: 'Twofold',
      origins: [],
      webauthnUserVerification: 'preferred',
      webauthnAaguids: [],
      totpIssuer: 'Twofold',
      scryptLogN: 17,
    });
  });

  it('serves the demo in development, and in production when asked (--demo, --demo yes, TWOFOLD_DEMO)', () => {
    const production = { TWOFOLD_MODE: 'production' };
    expect(readConfig([], production)).toMatchObject({ demo: false });
    expect(readConfig(['--demo'], production)).toMatchObject({ demo: true });
    expect(readConfig(['--demo', '--port', '9000'], production)).toMatchObject({
      demo: true,
      port: 9000,
    });
    expect(readConfig(['--', '--demo', 'yes'], production)).toMatchObject({ demo: true });
    expect(readConfig(['--demo', '-h'], production)).toBe('help');
    expect(readConfig([], { ...production, TWOFOLD_DEMO: 'yes' })).toMatchObject({ demo: true });
    expect(readConfig(['--demo', 'no'], {})).toMatchObject({ demo: false });
    expect(() => readConfig(['--demo', 'maybe'], {})).toThrow(
      'TWOFOLD_DEMO must be yes or no, got maybe',
    );
  });

  it('lowers the password hashing cost to 2^10 in development and 2^15 in production, never above 2^20', () => {
    expect(readConfig(['--scrypt-log-n', '10'], {})).toMatchObject({ scryptLogN: 10 });
    expect(readConfig([], { TWOFOLD_SCRYPT_LOG_N: '20' })).toMatchObject({ scryptLogN: 20 });
    expect(() => readConfig([], { TWOFOLD_SCRYPT_LOG_N: '9' })).toThrow(
      'TWOFOLD_SCRYPT_LOG_N must be an integer from 10 to 20 in development, got 9',
    );
    expect(() => readConfig([], { TWOFOLD_SCRYPT_LOG_N: '21' })).toThrow(ConfigError);
    expect(() => readConfig([], { TWOFOLD_SCRYPT_LOG_N: '12.5' })).toThrow(ConfigError);
    // A test setting (2^10) leaking into a production start must not weaken stored passwords;
    // an operator may trade down to Better Auth's memory cost, and is told what it means.
    const production = { TWOFOLD_MODE: 'production' };
    expect(() => readConfig([], { ...production, TWOFOLD_SCRYPT_LOG_N: '10' })).toThrow(
      'TWOFOLD_SCRYPT_LOG_N must be an integer from 15 to 20 in production, got 10',
    );
    expect(() => readConfig([], { ...production, TWOFOLD_SCRYPT_LOG_N: '14' })).toThrow(
      ConfigError,
    );
    expect(readConfig([], { ...production, TWOFOLD_SCRYPT_LOG_N: '18' })).toMatchObject({
      scryptLogN: 18,
    });
    expect(passwordCostWarning({ mode: 'production', scryptLogN: 15 })).toBe(
      'passwords are hashed at scrypt N = 2^15, below the recommended 2^17: a login costs 4x less CPU, and so does each guess at a stolen password hash',
    );
    expect(passwordCostWarning({ mode: 'production', scryptLogN: 17 })).toBeUndefined();
    expect(passwordCostWarning({ mode: 'development', scryptLogN: 10 })).toBeUndefined();
  });

  it('keeps development mode on loopback unless told explicitly (its outbox shows every token)', () => {
    expect(() => readConfig(['--host', '0.0.0.0'], {})).toThrow(
      'development mode listens on loopback only, not 0.0.0.0',
    );
    expect(() => readConfig([], { HOST: '192.168.1.20' })).toThrow(ConfigError);
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) {
      expect(readConfig(['--host', host], {})).toMatchObject({ host, mode: 'development' });
    }
    expect(readConfig(['--host', '0.0.0.0', '--dev-expose', 'yes'], {})).toMatchObject({
      host: '0.0.0.0',
    });
  });

  it('reads every setting from the environment, and a flag wins over its variable', () => {
    const env = {
      PORT: '9000',
      HOST: '0.0.0.0',
      TWOFOLD_MODE: 'production',
      TWOFOLD_DATA_DIR: '/var/lib/twofold',
      SMTP_URL: 'smtp://relay:25',
      TWOFOLD_SECRET: 's'.repeat(32),
      TWOFOLD_ENCRYPTION_KEY: 'e'.repeat(32),
      TWOFOLD_CORS_ORIGINS: 'https://a.example, https://b.example',
      TWOFOLD_RP_ID: 'example.com',
      TWOFOLD_RP_NAME: 'Example',
      TWOFOLD_VERIFY_URL: 'https://app.example.com/verify?token={token}',
      TWOFOLD_ORIGINS: 'https://example.com, https://app.example.com',
      TWOFOLD_WEBAUTHN_USER_VERIFICATION: 'required',
      TWOFOLD_TOTP_ISSUER: 'Acme',
      TWOFOLD_WEBAUTHN_AAGUIDS:
        'CB69481E-8FF7-4039-93EC-0A2729A154A8,ee882879-721c-4913-9775-3dfcce97072a',
    };
    expect(readConfig([], env)).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      mode: 'production',
      dataDir: '/var/lib/twofold',
      smtpUrl: 'smtp://relay:25',
      secret: 's'.repeat(32),
      encryptionKey: 'e'.repeat(32),
      corsOrigins: ['https://a.example', 'https://b.example'],
      rpId: 'example.com',
      rpName: 'Example',
      verifyUrl: 'https://app.example.com/verify?token={token}',
      origins: ['https://example.com', 'https://app.example.com'],
      webauthnUserVerification: 'required',
      totpIssuer: 'Acme',
      // AAGUIDs compare in lower case, as the server reports them.
      webauthnAaguids: [
        'cb69481e-8ff7-4039-93ec-0a2729a154a8',
        'ee882879-721c-4913-9775-3dfcce97072a',
      ],
    });
    expect(
      readConfig(
        [
          '--port',
          '9100',
          '--host',
          '127.0.0.1',
          '--mode',
          'development',
          '--cors-origins',
          'http://x.test',
          '--rp-id',
          'x.test',
          '--rp-name',
          'X',
          '--origins',
          'http://x.test:3000',
          '--webauthn-user-verification',
          'preferred',
          '--webauthn-aaguids',
          'ee882879-721c-4913-9775-3dfcce97072a',
          '--totp-issuer',
          'Acme Dev',
        ],
        env,
      ),
    ).toMatchObject({
      port: 9100,
      mode: 'development',
      corsOrigins: ['http://x.test'],
      rpId: 'x.test',
      rpName: 'X',
      origins: ['http://x.test:3000'],
      webauthnUserVerification: 'preferred',
      webauthnAaguids: ['ee882879-721c-4913-9775-3dfcce97072a'],
      totpIssuer: 'Acme Dev',
    });
    // `pnpm start -- --port 9200` hands the `--` through.
    expect(readConfig(['--', '--port', '9200'], {})).toMatchObject({ port: 9200 });
  });

  it('refuses bad values and unknown flags with a clear error', () => {
    expect(() => readConfig(['--port', 'http'], {})).toThrow(ConfigError);
    expect(() => readConfig([], { PORT: '70000' })).toThrow(/PORT must be an integer/);
    expect(() => readConfig([], { TWOFOLD_MODE: 'staging' })).toThrow(/development or production/);
    expect(() => readConfig([], { TWOFOLD_CORS_ORIGINS: 'not an origin' })).toThrow(
      /TWOFOLD_CORS_ORIGINS/,
    );
    expect(() => readConfig(['--bogus'], {})).toThrow(/bogus/);
    expect(() => readConfig(['--webauthn-user-verification', 'discouraged'], {})).toThrow(
      /TWOFOLD_WEBAUTHN_USER_VERIFICATION must be required or preferred, got discouraged/,
    );
    expect(() => readConfig([], { TWOFOLD_WEBAUTHN_AAGUIDS: 'yubikey-5' })).toThrow(
      /TWOFOLD_WEBAUTHN_AAGUIDS entries must be UUIDs .*, got yubikey-5/,
    );
  });

  it('lists every setting, flag and variable in --help', () => {
    expect(readConfig(['--help'], {})).toBe('help');
    for (const { flag, env } of SETTINGS) {
      expect(HELP).toContain(`--${flag}`);
      expect(HELP).toContain(env);
    }
  });
});

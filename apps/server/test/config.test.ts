import { describe, expect, it } from 'vitest';
import { ConfigError, HELP, readConfig, SETTINGS } from '../src/config.js';

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
      corsOrigins: [],
      publicUrl: undefined,
      trustProxy: 0,
      databaseUrl: undefined,
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
    });
    expect(
      readConfig(
        ['--port', '9100', '--mode', 'development', '--cors-origins', 'http://x.test'],
        env,
      ),
    ).toMatchObject({
      port: 9100,
      mode: 'development',
      corsOrigins: ['http://x.test'],
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
  });

  it('lists every setting, flag and variable in --help', () => {
    expect(readConfig(['--help'], {})).toBe('help');
    for (const { flag, env } of SETTINGS) {
      expect(HELP).toContain(`--${flag}`);
      expect(HELP).toContain(env);
    }
  });
});

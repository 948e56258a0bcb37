import {
  appDataDirectory,
  appFromSource,
  startApp,
  stopApp,
  temporaryDirectory,
} from '@twofold/testing';
import { describe, expect, it } from 'vitest';

const dataDir = () => temporaryDirectory('twofold-cli-');
const keys = { TWOFOLD_SECRET: 's'.repeat(40), TWOFOLD_ENCRYPTION_KEY: 'e'.repeat(40) };

describe('twofold-server command line', () => {
  it('prints the options with --help and exits 0', async () => {
    const app = appFromSource(['--help'], {});
    expect(await app.exit(20_000)).toBe(0);
    for (const name of [
      'PORT',
      'HOST',
      'TWOFOLD_MODE',
      'TWOFOLD_DATA_DIR',
      'SMTP_URL',
      'TWOFOLD_SECRET',
      'TWOFOLD_ENCRYPTION_KEY',
      'TWOFOLD_CORS_ORIGINS',
      'TWOFOLD_RP_ID',
      'TWOFOLD_ORIGINS',
      'TWOFOLD_WEBAUTHN_AAGUIDS',
    ]) {
      expect(app.output().stdout).toContain(name);
    }
  }, 30_000);

  it('refuses to start in production without keys, with a clear message and exit code 1', async () => {
    const app = appFromSource([], {
      TWOFOLD_MODE: 'production',
      TWOFOLD_DATA_DIR: dataDir(),
      TWOFOLD_SECRET: '',
      TWOFOLD_ENCRYPTION_KEY: '',
    });
    expect(await app.exit(20_000)).toBe(1);
    expect(app.output().stderr).toContain(
      'production mode needs TWOFOLD_SECRET and TWOFOLD_ENCRYPTION_KEY',
    );
    expect(app.output().stderr).not.toMatch(/\n\s+at /); // no stack trace for a configuration mistake
  }, 30_000);

  it('refuses to start in production without SMTP', async () => {
    const app = appFromSource(['--mode', 'production'], {
      ...keys,
      TWOFOLD_DATA_DIR: dataDir(),
      TWOFOLD_RP_ID: 'example.com',
      TWOFOLD_ORIGINS: 'https://example.com',
      SMTP_URL: '',
    });
    expect(await app.exit(20_000)).toBe(1);
    expect(app.output().stderr).toContain('SMTP_URL is required in production mode');
    expect(app.output().stderr).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('refuses to start in production without the passkey rp id and origins, naming flag and variable', async () => {
    const app = appFromSource(['--mode', 'production', '--port', '0'], {
      ...keys,
      TWOFOLD_DATA_DIR: dataDir(),
      SMTP_URL: 'smtp://127.0.0.1:2525',
      TWOFOLD_RP_ID: '',
      TWOFOLD_ORIGINS: '',
    });
    expect(await app.exit(20_000)).toBe(1);
    expect(app.output().stderr).toContain(
      'twofold-server: production mode needs --rp-id (TWOFOLD_RP_ID) and --origins (TWOFOLD_ORIGINS) for passkeys',
    );
    expect(app.output().stderr).not.toMatch(/\n\s+at /);
    expect(app.output().stdout).not.toContain('listening');
  }, 30_000);

  it('refuses a passkey origin that is not on the rp id, naming the flag and variable', async () => {
    const app = appFromSource(
      ['--port', '0', '--origins', 'http://localhost:3000,https://evil.test'],
      {
        TWOFOLD_DATA_DIR: dataDir(),
        TWOFOLD_RP_ID: '',
        TWOFOLD_ORIGINS: '',
      },
    );
    expect(await app.exit(20_000)).toBe(1);
    expect(app.output().stderr).toContain(
      'twofold-server: --origins (TWOFOLD_ORIGINS) https://evil.test is not on localhost or a subdomain of it',
    );
    expect(app.output().stderr).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('in development, offers passkeys on localhost at its own port and says so in one line', async () => {
    const app = await startApp(
      { TWOFOLD_DATA_DIR: await appDataDirectory('twofold-cli-') },
      90_000,
    );
    try {
      const port = new URL(app.url).port;
      const banner = app.output().stdout.match(/^passkeys: .*$/gm);
      expect(banner).toEqual([
        `passkeys: rp id localhost; origins http://localhost:${port}; open http://localhost:${port}, not http://127.0.0.1:${port}: browsers refuse passkeys on an IP address`,
      ]);
      // What a browser is asked to make a passkey for.
      const { accessToken: token, password } = await app.api.newUser();
      const options = await app.api.call('POST', '/mfa/webauthn/register/options', {
        token,
        body: { password },
      });
      expect(options.body.data.rp).toEqual({ id: 'localhost', name: 'Twofold' });
    } finally {
      await stopApp(app);
    }
  }, 120_000);

  it('refuses to start on a store first used with other keys, in one line, and accepts a rotation', async () => {
    const directory = await appDataDirectory('twofold-cli-');
    const first = await startApp({ ...keys, TWOFOLD_DATA_DIR: directory }, 90_000);
    await first.api.userWithMfa();
    await stopApp(first, 'SIGTERM');
    const settings = { TWOFOLD_MODE: 'development', PORT: '0', TWOFOLD_DATA_DIR: directory };
    const misKeyed = appFromSource([], {
      ...settings,
      TWOFOLD_SECRET: keys.TWOFOLD_SECRET,
      TWOFOLD_ENCRYPTION_KEY: 'x'.repeat(40),
    });
    expect(await misKeyed.exit(60_000)).toBe(1);
    expect(misKeyed.output().stderr).toContain(
      'TWOFOLD_ENCRYPTION_KEY does not match the key this store was first used with',
    );
    expect(misKeyed.output().stderr).not.toMatch(/\n\s+at /);
    // The rotation: the new key, the old one for decryption only.
    const rotated = await startApp(
      {
        TWOFOLD_DATA_DIR: directory,
        TWOFOLD_SECRET: keys.TWOFOLD_SECRET,
        TWOFOLD_ENCRYPTION_KEY: 'x'.repeat(40),
        TWOFOLD_PREVIOUS_ENCRYPTION_KEYS: keys.TWOFOLD_ENCRYPTION_KEY,
      },
      90_000,
    );
    await stopApp(rotated, 'SIGTERM');
  }, 240_000);
});

it('refuses an unknown flag', async () => {
  const app = appFromSource(['--prot', '80'], {});
  expect(await app.exit(20_000)).toBe(1);
  expect(app.output().stderr).toContain('--help');
}, 30_000);

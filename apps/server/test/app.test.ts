import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createPGliteStore } from '@twofold/server/postgres';
import { appDataDirectory, temporaryDirectory } from '@twofold/testing';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { type AppConfig, ConfigError, readConfig } from '../src/config.js';

function configFrom(env: NodeJS.ProcessEnv): AppConfig {
  const dataDir = temporaryDirectory('twofold-app-');
  return readConfig([], { TWOFOLD_DATA_DIR: dataDir, ...env }) as AppConfig;
}

/** A config whose embedded database is initialised already (for tests that open it). */
async function openingConfigFrom(env: NodeJS.ProcessEnv): Promise<AppConfig> {
  const dataDir = await appDataDirectory('twofold-app-');
  return readConfig([], { TWOFOLD_DATA_DIR: dataDir, ...env }) as AppConfig;
}

describe('createApp', () => {
  // The server core checks its options; the app only renames them to its own settings.
  it('refuses a key shorter than 32 bytes, naming the setting the operator sets', async () => {
    const keys = { secret: 'short', encryptionKey: 'e'.repeat(40) };
    const config = configFrom({});
    const refusal = createApp(config, keys, 'http://127.0.0.1:8787');
    await expect(refusal).rejects.toThrow(ConfigError);
    await expect(refusal).rejects.toThrow(
      'TWOFOLD_SECRET must be at least 32 bytes of random key material',
    );
    expect(existsSync(join(config.dataDir, 'db'))).toBe(false);
  }, 30_000);

  it('refuses production without SMTP, naming SMTP_URL, before opening the database', async () => {
    const keys = { secret: 's'.repeat(40), encryptionKey: 'e'.repeat(40) };
    const config = configFrom({
      TWOFOLD_MODE: 'production',
      TWOFOLD_RP_ID: 'example.com',
      TWOFOLD_ORIGINS: 'https://example.com',
    });
    await expect(createApp(config, keys, 'http://127.0.0.1:8787')).rejects.toThrow(
      /^SMTP_URL is required in production mode/,
    );
    expect(existsSync(join(config.dataDir, 'db'))).toBe(false);
  }, 30_000);

  it('refuses a passkey origin that is not on the rp id, naming the flag and variable', async () => {
    const keys = { secret: 's'.repeat(40), encryptionKey: 'e'.repeat(40) };
    const config = configFrom({
      TWOFOLD_RP_ID: 'example.com',
      TWOFOLD_ORIGINS: 'https://evil.test',
    });
    const refusal = createApp(config, keys, 'http://127.0.0.1:8787');
    await expect(refusal).rejects.toThrow(ConfigError);
    await expect(refusal).rejects.toThrow(
      '--origins (TWOFOLD_ORIGINS) https://evil.test is not on example.com or a subdomain of it',
    );
    expect(existsSync(join(config.dataDir, 'db'))).toBe(false);
  }, 30_000);

  it('refuses an rp id that browsers would refuse (an IP address), naming the flag and variable', async () => {
    const keys = { secret: 's'.repeat(40), encryptionKey: 'e'.repeat(40) };
    const config = configFrom({ TWOFOLD_RP_ID: '127.0.0.1' });
    await expect(createApp(config, keys, 'http://127.0.0.1:8787')).rejects.toThrow(
      /^--rp-id \(TWOFOLD_RP_ID\) must be a domain name/,
    );
  }, 30_000);

  it('refuses a CORS origin browsers never send (upper case, a default port), naming the flag', async () => {
    const keys = { secret: 's'.repeat(40), encryptionKey: 'e'.repeat(40) };
    for (const origin of ['https://App.example.com', 'https://app.example.com:443']) {
      const config = configFrom({ TWOFOLD_CORS_ORIGINS: origin });
      await expect(createApp(config, keys, 'http://127.0.0.1:8787')).rejects.toThrow(
        `--cors-origins (TWOFOLD_CORS_ORIGINS) entries must be origins such as https://app.example (scheme://host[:port], no path or trailing slash), got ${origin}`,
      );
      expect(existsSync(join(config.dataDir, 'db'))).toBe(false);
    }
  }, 30_000);

  it('creates a missing data directory, parents included, for the embedded database', async () => {
    const keys = { secret: 's'.repeat(40), encryptionKey: 'e'.repeat(40) };
    const config = { ...configFrom({}), dataDir: join(temporaryDirectory(), 'a', 'b') };
    const app = await createApp(config, keys, 'http://127.0.0.1:8787');
    try {
      expect(app.storeDescription).toContain(join('a', 'b', 'db'));
      const response = await app.server.fetch(new Request('http://x/api/v1/mfa/status'));
      expect(response.status).toBe(401);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('labels the authenticator entry Twofold:username (the issuer from --totp-issuer)', async () => {
    const keys = { secret: 's'.repeat(40), encryptionKey: 'e'.repeat(40) };
    const config = await openingConfigFrom({ TWOFOLD_SCRYPT_LOG_N: '10' });
    const app = await createApp(config, keys, 'http://127.0.0.1:8787');
    const post = async (path: string, body: unknown, token?: string) => {
      const response = await app.server.fetch(
        new Request(`http://127.0.0.1:8787/api/v1${path}`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
          },
          body: JSON.stringify(body),
        }),
      );
      return (await response.json()).data;
    };
    try {
      const user = {
        username: 'qr_label',
        email: 'qr_label@example.com',
        password: 'pw-qr-label-1',
      };
      await post('/auth/register', user);
      const { access_token } = await post('/auth/login', user);
      const setup = await post('/mfa/setup', { password: user.password }, access_token);
      expect(setup.qr_code).toMatch(/^otpauth:\/\/totp\/Twofold:qr_label\?/);
      expect(setup.qr_code).toContain('issuer=Twofold');
    } finally {
      await app.close();
    }
  }, 60_000);

  it('hashes passwords at the configured scrypt cost (TWOFOLD_SCRYPT_LOG_N)', async () => {
    const keys = { secret: 's'.repeat(40), encryptionKey: 'e'.repeat(40) };
    const config = await openingConfigFrom({ TWOFOLD_SCRYPT_LOG_N: '10' });
    const app = await createApp(config, keys, 'http://127.0.0.1:8787');
    let userId: string;
    try {
      const response = await app.server.fetch(
        new Request('http://x/api/v1/auth/register', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            username: 'cost',
            email: 'cost@example.com',
            password: 'pw-123456',
          }),
        }),
      );
      userId = (await response.json()).data.user_id;
    } finally {
      await app.close();
    }
    const store = await createPGliteStore({ dataDir: join(config.dataDir, 'db') });
    try {
      const user = await store.get<{ passwordHash: string }>(`user:${userId}`);
      expect(user?.value.passwordHash).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
    } finally {
      await store.close();
    }
  }, 120_000);
});

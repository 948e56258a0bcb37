import type { AuthenticatorInfo } from '@twofold/server';
import { describe, expect, it } from 'vitest';
import { type AppConfig, ConfigError, readConfig } from '../src/config.js';
import { passkeySettings } from '../src/passkeys.js';

const config = (args: string[], env: NodeJS.ProcessEnv = {}) => readConfig(args, env) as AppConfig;

/** What the policy sees of a new credential of the model `aaguid`. */
const authenticator = (aaguid: string): AuthenticatorInfo => ({
  aaguid,
  attestationFormat: 'packed',
  trustPath: [],
  backupEligible: false,
  backedUp: false,
  userVerified: true,
  credentialId: 'AQID',
  transports: ['usb'],
});

describe('passkey settings in development', () => {
  it('on 127.0.0.1: rp id localhost and the same server by name, which the banner says to open', () => {
    const { options, description, pageUrl } = passkeySettings(config([]), 'http://127.0.0.1:8787');
    expect(options).toEqual({
      rpId: 'localhost',
      rpName: 'Twofold',
      origins: ['http://localhost:8787'],
      userVerification: 'preferred',
    });
    expect(options.policy).toBeUndefined();
    expect(description).toBe(
      'rp id localhost; origins http://localhost:8787; open http://localhost:8787, not http://127.0.0.1:8787: browsers refuse passkeys on an IP address',
    );
    // Where the start line says to open the demo.
    expect(pageUrl).toBe('http://localhost:8787');
  });

  it('on [::1] or 0.0.0.0 as on 127.0.0.1; on a domain name, that name and the public URL', () => {
    for (const url of ['http://[::1]:9000', 'http://0.0.0.0:9000']) {
      expect(passkeySettings(config([]), url)).toMatchObject({
        options: { rpId: 'localhost', origins: ['http://localhost:9000'] },
        pageUrl: 'http://localhost:9000',
      });
    }
    // A LAN address (--dev-expose): localhost would not reach this server, so its pages stay
    // on the address itself.
    expect(passkeySettings(config([]), 'http://192.168.1.20:9000').pageUrl).toBe(
      'http://192.168.1.20:9000',
    );
    expect(passkeySettings(config([]), 'http://localhost:9000')).toEqual({
      options: expect.objectContaining({ rpId: 'localhost', origins: ['http://localhost:9000'] }),
      description: 'rp id localhost; origins http://localhost:9000',
      pageUrl: 'http://localhost:9000',
    });
    expect(passkeySettings(config([]), 'https://auth.dev.example.com/base/')).toMatchObject({
      options: { rpId: 'auth.dev.example.com', origins: ['https://auth.dev.example.com'] },
      pageUrl: 'https://auth.dev.example.com/base',
    });
  });

  it('takes the rp id, name, origins and user verification from flags or variables instead', () => {
    const fromFlags = config([
      '--rp-id',
      'localhost',
      '--rp-name',
      'Acme dev',
      '--origins',
      'http://localhost:5173,http://app.localhost:5173',
      '--webauthn-user-verification',
      'required',
    ]);
    const expected = {
      options: {
        rpId: 'localhost',
        rpName: 'Acme dev',
        origins: ['http://localhost:5173', 'http://app.localhost:5173'],
        userVerification: 'required',
      },
      description:
        'rp id localhost; origins http://localhost:5173, http://app.localhost:5173; user verification required',
      // The passkey pages are elsewhere: this server's own pages stay on its public URL.
      pageUrl: 'http://127.0.0.1:8787',
    };
    expect(passkeySettings(fromFlags, 'http://127.0.0.1:8787')).toEqual(expected);
    const fromEnv = config([], {
      TWOFOLD_RP_ID: 'localhost',
      TWOFOLD_RP_NAME: 'Acme dev',
      TWOFOLD_ORIGINS: 'http://localhost:5173, http://app.localhost:5173',
      TWOFOLD_WEBAUTHN_USER_VERIFICATION: 'required',
    });
    expect(passkeySettings(fromEnv, 'http://127.0.0.1:8787')).toEqual(expected);
  });
});

describe('passkey settings in production', () => {
  const production = ['--mode', 'production'];

  it('refuses to start without the rp id and the origins, naming each flag and variable', () => {
    expect(() => passkeySettings(config(production), 'https://auth.example.com')).toThrow(
      new ConfigError(
        "production mode needs --rp-id (TWOFOLD_RP_ID) and --origins (TWOFOLD_ORIGINS) for passkeys: the site's domain, e.g. example.com, and the origins of the pages that use them, e.g. https://app.example.com",
      ),
    );
    expect(() =>
      passkeySettings(config([...production, '--rp-id', 'example.com']), 'https://example.com'),
    ).toThrow(/^production mode needs --origins \(TWOFOLD_ORIGINS\) for passkeys/);
    expect(() =>
      passkeySettings(
        config(production, { TWOFOLD_ORIGINS: 'https://example.com' }),
        'https://example.com',
      ),
    ).toThrow(/^production mode needs --rp-id \(TWOFOLD_RP_ID\) for passkeys/);
  });

  it('uses exactly what is configured, never the public URL', () => {
    const { options } = passkeySettings(
      config([...production, '--rp-id', 'example.com', '--origins', 'https://app.example.com']),
      'https://auth.example.com',
    );
    expect(options).toMatchObject({ rpId: 'example.com', origins: ['https://app.example.com'] });
  });
});

describe('the AAGUID allow-list (a company allows only its security-key models)', () => {
  const allowed = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';
  const settings = passkeySettings(
    config(['--webauthn-aaguids', `${allowed.toUpperCase()},ee882879-721c-4913-9775-3dfcce97072a`]),
    'http://127.0.0.1:8787',
  );

  it('lets only the listed authenticator models register, and asks for attestation', async () => {
    const { policy } = settings.options;
    expect(policy).toBeDefined();
    expect(await policy?.(authenticator(allowed))).toBe(true);
    expect(await policy?.(authenticator('ee882879-721c-4913-9775-3dfcce97072a'))).toBe(true);
    expect(await policy?.(authenticator('fbfc3007-154e-4ecc-8c0b-6e020557d7bd'))).toBe(false);
    // An authenticator that does not say its model.
    expect(await policy?.(authenticator('00000000-0000-0000-0000-000000000000'))).toBe(false);
    // Without attestation a browser may blank the AAGUID, and no model would match.
    expect(settings.options.attestation).toBe('direct');
    expect(settings.description).toContain('only 2 authenticator model(s) may register');
  });
});

import { createTwofoldServer } from '@twofold/server';
import {
  createSoftwareAuthenticator,
  type InProcessServerOptions,
  inProcessServer,
  testServerOptions,
} from '@twofold/testing';
import { describe, expect, it } from 'vitest';

// Server-specific passkey behaviour. The contract's rules (single use, origin, rpId, another
// user's challenge or credential, counters, attempts, step-up, concurrency) are checked on
// every target by the conformance suite; this file covers options, policy input, logging and
// how passkeys live beside TOTP and backup codes.

const ORIGIN = 'http://localhost:5173';
const WEBAUTHN = { rpId: 'localhost', rpName: 'Twofold', origins: [ORIGIN] };

function passkeyServer(options: InProcessServerOptions = {}) {
  return inProcessServer({ webauthn: WEBAUTHN, ...options });
}

type Driver = ReturnType<typeof passkeyServer>;
type Authenticator = ReturnType<typeof createSoftwareAuthenticator>;

async function addPasskey(
  t: Driver,
  token: string,
  authenticator: Authenticator,
  body: Record<string, unknown> = {},
) {
  const options = await t.call('POST', '/mfa/webauthn/register/options', { token, body });
  expect(options.status).toBe(200);
  const response = await authenticator.register(options.body.data);
  return t.call('POST', '/mfa/webauthn/register/verify', { token, body: { response } });
}

describe('passkey options', () => {
  const create = (webauthn: unknown) => () =>
    createTwofoldServer(testServerOptions({ webauthn: webauthn as never }));

  it('refuses an rpId that browsers refuse, naming the option', () => {
    expect(create({ ...WEBAUTHN, rpId: '127.0.0.1' })).toThrow(/webauthn\.rpId/);
    expect(create({ ...WEBAUTHN, rpId: 'https://example.com' })).toThrow(/webauthn\.rpId/);
  });

  it('refuses origins that are not on the rpId, have a path, or are missing', () => {
    expect(create({ ...WEBAUTHN, origins: ['https://evil.example'] })).toThrow(
      /webauthn\.origins.*not on localhost/,
    );
    expect(create({ ...WEBAUTHN, origins: ['http://localhost:5173/app'] })).toThrow(
      /without a path/,
    );
    expect(create({ ...WEBAUTHN, origins: [] })).toThrow(/at least one origin/);
  });

  it('accepts subdomains of the rpId and refuses unknown userVerification or attestation', () => {
    expect(
      create({ rpId: 'example.com', rpName: 'Ex', origins: ['https://app.example.com'] }),
    ).not.toThrow();
    expect(create({ ...WEBAUTHN, userVerification: 'discouraged' })).toThrow(
      /webauthn\.userVerification/,
    );
    expect(create({ ...WEBAUTHN, attestation: 'enterprise' })).toThrow(/webauthn\.attestation/);
  });

  it('answers WEBAUTHN_NOT_CONFIGURED (501) on every passkey route of a server without them', async () => {
    const t = inProcessServer();
    const user = await t.newUser();
    const token = user.accessToken;
    const replies = [
      await t.call('POST', '/mfa/webauthn/register/options', { token, body: {} }),
      await t.call('GET', '/mfa/webauthn/credentials', { token }),
      await t.call('DELETE', '/mfa/webauthn/credentials/abc', { token, body: {} }),
    ];
    for (const reply of replies) {
      expect(reply.status).toBe(501);
      expect(reply.body.error.code).toBe('WEBAUTHN_NOT_CONFIGURED');
    }
  });
});

describe('passkeys beside TOTP and backup codes', () => {
  it('names a passkey as given (trimmed), and refuses names too long or with control characters', async () => {
    const t = passkeyServer();
    const user = await t.newUser();
    const authenticator = createSoftwareAuthenticator({ origin: ORIGIN });
    const named = await addPasskey(t, user.accessToken, authenticator, { name: '  YubiKey 5  ' });
    expect(named.body.data.name).toBe('YubiKey 5');
    for (const name of ['x'.repeat(65), 'tab\tname']) {
      const reply = await t.call('POST', '/mfa/webauthn/register/options', {
        token: user.accessToken,
        body: { name },
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('VALIDATION_ERROR');
    }
  });

  it('gives the policy what it needs to decide: AAGUID, format, flags, user verification', async () => {
    const seen: unknown[] = [];
    const t = passkeyServer({
      webauthn: {
        ...WEBAUTHN,
        attestation: 'direct',
        policy: (authenticator) => {
          seen.push(authenticator);
          return true;
        },
      },
    });
    const user = await t.newUser();
    const aaguid = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';
    const authenticator = createSoftwareAuthenticator({
      origin: ORIGIN,
      attestation: 'packed',
      aaguid,
      backupEligible: true,
      backedUp: true,
    });
    const reply = await addPasskey(t, user.accessToken, authenticator);
    expect(reply.status).toBe(200);
    expect(seen).toEqual([
      expect.objectContaining({
        aaguid,
        attestationFormat: 'packed',
        trustPath: [],
        backupEligible: true,
        backedUp: true,
        userVerified: true,
        credentialId: reply.body.data.credential_id,
        transports: ['internal'],
      }),
    ]);
  });

  it('adds a passkey to a TOTP user with a current code as step-up (no new backup codes), and offers both at login', async () => {
    const t = passkeyServer();
    const user = await t.userWithMfa();
    const authenticator = createSoftwareAuthenticator({ origin: ORIGIN });
    const refused = await t.call('POST', '/mfa/webauthn/register/options', {
      token: user.accessToken,
      body: {},
    });
    expect(refused.body.error.code).toBe('MFA_UNAUTHORIZED');
    const added = await addPasskey(t, user.accessToken, authenticator, {
      totp_code: t.codeFor(user.secret),
    });
    expect(added.status).toBe(200);
    expect(added.body.data.backup_codes).toBeUndefined();
    const status = await t.call('GET', '/mfa/status', { token: user.accessToken });
    expect(status.body.data).toEqual({
      enabled: true,
      methods: ['totp', 'webauthn'],
      backup_codes_remaining: 10,
    });
    const login = await t.call('POST', '/auth/login', {
      body: { username: user.username, password: user.password },
    });
    expect(login.body.error.details.methods).toEqual(['totp', 'backup_code', 'webauthn']);
    expect(login.body.error.details.webauthn_options.allowCredentials).toEqual([
      { id: added.body.data.credential_id, type: 'public-key', transports: ['internal'] },
    ]);
  });

  it('lets a passkey-only user log in with a backup code and regenerate codes with the password', async () => {
    const t = passkeyServer();
    const user = await t.newUser();
    const added = await addPasskey(
      t,
      user.accessToken,
      createSoftwareAuthenticator({ origin: ORIGIN }),
    );
    const [code] = added.body.data.backup_codes;
    const step1 = await t.call('POST', '/auth/login', {
      body: { username: user.username, password: user.password },
    });
    expect(step1.body.error.details.methods).toEqual(['backup_code', 'webauthn']);
    const step2 = await t.call('POST', '/auth/login', {
      body: {
        username: user.username,
        password: user.password,
        challenge_id: step1.body.error.details.challenge_id,
        mfa_code: code,
      },
    });
    expect(step2.status).toBe(200);
    const codes = await t.call('POST', '/mfa/regenerate-backup-codes', {
      token: user.accessToken,
      body: { password: user.password },
    });
    expect(codes.body.data).toHaveLength(10);
    // There is no TOTP secret: a six-digit code is no step-up here.
    const totp = await t.call('POST', '/mfa/regenerate-backup-codes', {
      token: user.accessToken,
      body: { totp_code: '123456' },
    });
    expect(totp.body.error.code).toBe('MFA_INVALID_CODE');
    // TOTP setup is refused while a passkey keeps MFA on (spec §3 rule 4).
    const setup = await t.call('POST', '/mfa/setup', { token: user.accessToken });
    expect(setup.body.error.code).toBe('MFA_ALREADY_ENABLED');
  });

  it('logs a sign counter that went backwards as a possible clone', async () => {
    const t = passkeyServer();
    const user = await t.newUser();
    const authenticator = createSoftwareAuthenticator({ origin: ORIGIN });
    const added = await addPasskey(t, user.accessToken, authenticator);
    const credentialId = added.body.data.credential_id;
    const logIn = async () => {
      const step1 = await t.call('POST', '/auth/login', {
        body: { username: user.username, password: user.password },
      });
      const { challenge_id, webauthn_options } = step1.body.error.details;
      return t.call('POST', '/auth/login', {
        body: {
          username: user.username,
          password: user.password,
          challenge_id,
          webauthn_response: await authenticator.authenticate(webauthn_options),
        },
      });
    };
    expect((await logIn()).status).toBe(200);
    expect((await logIn()).status).toBe(200);
    authenticator.setCounter(credentialId, 1);
    const cloned = await logIn();
    expect(cloned.body.error.code).toBe('WEBAUTHN_VERIFICATION_FAILED');
    expect(cloned.body.error.message).toMatch(/cloned/);
    expect(t.logs.join('\n')).toMatch(new RegExp(`passkey ${credentialId} .*cloned`));
  });

  it('removes every passkey with /mfa/disable and frees their credential ids', async () => {
    const t = passkeyServer();
    const user = await t.userWithMfa();
    const authenticator = createSoftwareAuthenticator({ origin: ORIGIN });
    const first = await addPasskey(t, user.accessToken, authenticator, {
      totp_code: t.codeFor(user.secret),
    });
    expect(first.status).toBe(200);
    const claim = `webauthn-credential:${first.body.data.credential_id}`;
    expect(await t.store.get(claim)).toBeDefined();
    t.clock.advance(30_000);
    const disabled = await t.call('POST', '/mfa/disable', {
      token: user.accessToken,
      body: { password: user.password, totp_code: t.codeFor(user.secret) },
    });
    expect(disabled.status).toBe(200);
    expect(
      (await t.call('GET', '/mfa/webauthn/credentials', { token: user.accessToken })).body.data,
    ).toEqual([]);
    expect(await t.store.get(claim)).toBeUndefined();
    // MFA is off: the next passkey is a first factor again, with backup codes.
    const again = await addPasskey(
      t,
      user.accessToken,
      createSoftwareAuthenticator({ origin: ORIGIN }),
    );
    expect(again.status).toBe(200);
    expect(again.body.data.backup_codes).toHaveLength(10);
  });
});

import { createTwofoldServer } from '@twofold/server';
import {
  createSoftwareAuthenticator,
  type InProcessServerOptions,
  inProcessServer,
  PASSWORD,
  temporaryPGliteStore,
  testServerOptions,
} from '@twofold/testing';
import { describe, expect, it, onTestFinished } from 'vitest';

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
  // The driver's users all have PASSWORD: the step-up every registration takes.
  const options = await t.call('POST', '/mfa/webauthn/register/options', {
    token,
    body: { password: PASSWORD, ...body },
  });
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

describe('passkey hardening', () => {
  it('answers a clientDataJSON challenge that is not ours (NUL, odd characters) with 400 on PostgreSQL storage, never 500', async () => {
    const store = await temporaryPGliteStore();
    onTestFinished(() => store.close());
    const t = passkeyServer({ store });
    const user = await t.newUser();
    const options = await t.call('POST', '/mfa/webauthn/register/options', {
      token: user.accessToken,
      body: { password: user.password },
    });
    const response = await createSoftwareAuthenticator({ origin: ORIGIN }).register(
      options.body.data,
    );
    for (const challenge of ['\u0000abc', 'a'.repeat(200), 'not base64url!']) {
      const clientData = { type: 'webauthn.create', challenge, origin: ORIGIN };
      const forged = {
        ...response,
        response: {
          ...response.response,
          clientDataJSON: Buffer.from(JSON.stringify(clientData)).toString('base64url'),
        },
      };
      const reply = await t.call('POST', '/mfa/webauthn/register/verify', {
        token: user.accessToken,
        body: { response: forged },
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('WEBAUTHN_VERIFICATION_FAILED');
    }
  }, 30_000);

  it('does not let options fetched while MFA was off add a passkey once MFA is on (no step-up was given)', async () => {
    const t = passkeyServer();
    const user = await t.newUser();
    const early = await t.call('POST', '/mfa/webauthn/register/options', {
      token: user.accessToken,
      body: { password: user.password },
    });
    await t.enableMfa(user.accessToken);
    const response = await createSoftwareAuthenticator({ origin: ORIGIN }).register(
      early.body.data,
    );
    const reply = await t.call('POST', '/mfa/webauthn/register/verify', {
      token: user.accessToken,
      body: { response },
    });
    expect(reply.body.error.code).toBe('WEBAUTHN_CHALLENGE_INVALID');
    const listed = await t.call('GET', '/mfa/webauthn/credentials', { token: user.accessToken });
    expect(listed.body.data).toEqual([]);
    expect(await t.store.get(`webauthn-credential:${response.id}`)).toBeUndefined();
  });

  it('holds at most 20 passkeys per user, and stores only the transports WebAuthn defines', async () => {
    const t = passkeyServer();
    const user = await t.newUser();
    const proof = { password: user.password };
    const first = await t.call('POST', '/mfa/webauthn/register/options', {
      token: user.accessToken,
      body: proof,
    });
    const response = await createSoftwareAuthenticator({ origin: ORIGIN }).register(
      first.body.data,
    );
    const junk = ['internal', 'usb', 'usb', 'x'.repeat(32), 'carrier-pigeon'];
    const added = await t.call('POST', '/mfa/webauthn/register/verify', {
      token: user.accessToken,
      body: { response: { ...response, response: { ...response.response, transports: junk } } },
    });
    expect(added.status).toBe(200);
    const [stored] = await t.server.admin.passkeys(user.username);
    expect(stored?.transports).toEqual(['internal', 'usb']);
    for (let count = 1; count < 20; count++) {
      const reply = await addPasskey(
        t,
        user.accessToken,
        createSoftwareAuthenticator({ origin: ORIGIN }),
        proof,
      );
      expect(reply.status).toBe(200);
    }
    const full = await t.call('POST', '/mfa/webauthn/register/options', {
      token: user.accessToken,
      body: proof,
    });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('WEBAUTHN_LIMIT_REACHED');
  });

  it('tells a forged assertion from a clone: a bad signature with a low counter is not logged as a clone, and no refusal names the configured origins', async () => {
    const t = passkeyServer();
    const user = await t.newUser();
    const authenticator = createSoftwareAuthenticator({ origin: ORIGIN });
    const added = await addPasskey(t, user.accessToken, authenticator);
    const challenge = async () =>
      (
        await t.call('POST', '/auth/login', {
          body: { username: user.username, password: user.password },
        })
      ).body.error.details;
    const login = (challenge_id: string, webauthn_response: unknown) =>
      t.call('POST', '/auth/login', {
        body: { username: user.username, password: user.password, challenge_id, webauthn_response },
      });
    const first = await challenge();
    const firstLogin = await login(
      first.challenge_id,
      await authenticator.authenticate(first.webauthn_options),
    );
    expect(firstLogin.status).toBe(200); // the server's counter is 1 now
    const { challenge_id, webauthn_options } = await challenge();
    const other = await authenticator.authenticate(webauthn_options);
    authenticator.setCounter(added.body.data.credential_id, 0);
    const low = await authenticator.authenticate(webauthn_options); // counter 1 again
    // A valid signature of other data on a response whose counter did not move forward.
    const forged = { ...low, response: { ...low.response, signature: other.response.signature } };
    const refused = await login(challenge_id, forged);
    expect(refused.body.error.code).toBe('WEBAUTHN_VERIFICATION_FAILED');
    expect(refused.body.error.message).toMatch(/signature did not verify/);
    authenticator.origin = 'http://localhost:6666';
    const elsewhere = await login(challenge_id, await authenticator.authenticate(webauthn_options));
    expect(elsewhere.body.error.message).toMatch(/origin this server does not accept/);
    expect(elsewhere.body.error.message).not.toContain(ORIGIN);
    expect(t.logs.join('\n')).not.toMatch(/cloned/);
  });
});

import { WebAuthnError, type WebAuthnErrorCode } from '@simplewebauthn/browser';
import type { PublicKeyCredentialRequestOptionsJSON } from '@twofold/contract';
import {
  createSoftwareAuthenticator,
  type SoftwareAuthenticator,
} from '@twofold/mock/authenticator';
import { inProcessServer, testClock } from '@twofold/testing';
import { describe, expect, it, vi } from 'vitest';
import {
  createClient,
  isTwofoldError,
  type MfaRequired,
  type TwofoldClient,
  TwofoldError,
} from '../src/index.js';
import { ceremony, toPasskeyError } from '../src/webauthn/ceremony.js';
import { type PasskeyAuthenticator, passkeys } from '../src/webauthn.js';

// The ./webauthn subpath: how every refusal of a browser (or of an authenticator in its place)
// becomes a typed error, and the passkey flows against the reference server in-process, with
// the software authenticator of @twofold/mock in the browser's place.

const ORIGIN = 'http://localhost:5173';
const PASSWORD = 'correct horse battery staple';

const dom = (name: string, message = `${name} from the browser`) => new DOMException(message, name);
/** What SimpleWebAuthn's startRegistration/startAuthentication throw: the DOMException as cause. */
const simple = (code: WebAuthnErrorCode, name: string) =>
  new WebAuthnError({ message: `${code} from SimpleWebAuthn`, code, cause: dom(name) });

/** The error a ceremony failing with `error` becomes, `elapsed` ms into a `timeout` ms prompt. */
const mapped = (error: unknown, elapsed = 10, timeout = 60_000) =>
  toPasskeyError(error, elapsed, timeout);

describe('browser refusals become TwofoldErrors with PASSKEY_* codes', () => {
  it.each([
    [
      'NotAllowedError (the user dismissed the prompt)',
      dom('NotAllowedError'),
      'PASSKEY_CANCELLED',
    ],
    [
      'WebAuthnError ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY (a NotAllowedError)',
      simple('ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY', 'NotAllowedError'),
      'PASSKEY_CANCELLED',
    ],
    ['AbortError (another ceremony took over)', dom('AbortError'), 'PASSKEY_CANCELLED'],
    [
      'WebAuthnError ERROR_CEREMONY_ABORTED',
      simple('ERROR_CEREMONY_ABORTED', 'AbortError'),
      'PASSKEY_CANCELLED',
    ],
    ['InvalidStateError', dom('InvalidStateError'), 'PASSKEY_ALREADY_REGISTERED'],
    [
      'WebAuthnError ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED',
      simple('ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED', 'InvalidStateError'),
      'PASSKEY_ALREADY_REGISTERED',
    ],
    ['SecurityError', dom('SecurityError'), 'PASSKEY_SECURITY_ERROR'],
    [
      'WebAuthnError ERROR_INVALID_DOMAIN',
      simple('ERROR_INVALID_DOMAIN', 'SecurityError'),
      'PASSKEY_SECURITY_ERROR',
    ],
    [
      'WebAuthnError ERROR_INVALID_RP_ID',
      simple('ERROR_INVALID_RP_ID', 'SecurityError'),
      'PASSKEY_SECURITY_ERROR',
    ],
    ['NotSupportedError', dom('NotSupportedError'), 'PASSKEY_UNSUPPORTED'],
    [
      'WebAuthnError ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG',
      simple('ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG', 'NotSupportedError'),
      'PASSKEY_UNSUPPORTED',
    ],
    [
      'WebAuthnError ERROR_MALFORMED_PUBKEYCREDPARAMS',
      simple('ERROR_MALFORMED_PUBKEYCREDPARAMS', 'NotSupportedError'),
      'PASSKEY_UNSUPPORTED',
    ],
    ['ConstraintError', dom('ConstraintError'), 'PASSKEY_UNSUPPORTED'],
    [
      'WebAuthnError ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT',
      simple('ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT', 'ConstraintError'),
      'PASSKEY_UNSUPPORTED',
    ],
    [
      'WebAuthnError ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT',
      simple('ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT', 'ConstraintError'),
      'PASSKEY_UNSUPPORTED',
    ],
    ['UnknownError', dom('UnknownError'), 'PASSKEY_FAILED'],
    [
      'WebAuthnError ERROR_AUTHENTICATOR_GENERAL_ERROR',
      simple('ERROR_AUTHENTICATOR_GENERAL_ERROR', 'UnknownError'),
      'PASSKEY_FAILED',
    ],
    [
      'WebAuthnError ERROR_INVALID_USER_ID_LENGTH (a TypeError)',
      simple('ERROR_INVALID_USER_ID_LENGTH', 'TypeError'),
      'PASSKEY_FAILED',
    ],
    ['a plain Error', new Error('Registration was not completed'), 'PASSKEY_FAILED'],
    ['a thrown string', 'nope', 'PASSKEY_FAILED'],
    ['undefined', undefined, 'PASSKEY_FAILED'],
    ['an object named like an Object.prototype member', { name: 'toString' }, 'PASSKEY_FAILED'],
  ])('%s → %s', (_, error, code) => {
    const result = mapped(error);
    expect(result).toBeInstanceOf(TwofoldError);
    expect(isTwofoldError(result)).toBe(true);
    expect(result).not.toBeInstanceOf(DOMException);
    expect({ code: result.code, status: result.status, cause: result.cause }).toEqual({
      code,
      status: 0,
      cause: error,
    });
    expect(result.cause).toBe(error);
  });

  it('says what happened, then what the browser said', () => {
    expect(
      mapped(dom('NotAllowedError', 'The operation timed out or was not allowed.')).message,
    ).toBe('Passkey cancelled: The operation timed out or was not allowed.');
    expect(mapped(dom('InvalidStateError', '')).message).toBe('Passkey already registered');
    expect(mapped('nope').message).toBe('Passkey failed');
  });

  it('a NotAllowedError once the options’ timeout elapsed is PASSKEY_TIMEOUT', () => {
    expect(mapped(dom('NotAllowedError'), 60_000, 60_000).code).toBe('PASSKEY_TIMEOUT');
    // Browsers time the prompt by their own clock: 1 % early still counts.
    expect(mapped(dom('NotAllowedError'), 59_500, 60_000).code).toBe('PASSKEY_TIMEOUT');
    expect(
      mapped(simple('ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY', 'NotAllowedError'), 61_000, 60_000)
        .code,
    ).toBe('PASSKEY_TIMEOUT');
    expect(mapped(dom('NotAllowedError'), 30_000, 60_000).code).toBe('PASSKEY_CANCELLED');
    // Without a timeout in the options, nothing is a timeout.
    expect(toPasskeyError(dom('NotAllowedError'), 600_000, undefined).code).toBe(
      'PASSKEY_CANCELLED',
    );
    // Only a cancellation turns into a timeout.
    expect(mapped(dom('InvalidStateError'), 60_000, 60_000).code).toBe(
      'PASSKEY_ALREADY_REGISTERED',
    );
  });

  it('keeps a TwofoldError as it is, and calls a failure after the caller aborted ABORTED', () => {
    const own = new TwofoldError({
      code: 'WEBAUTHN_VERIFICATION_FAILED',
      message: 'no',
      status: 400,
    });
    expect(mapped(own)).toBe(own);
    const controller = new AbortController();
    controller.abort();
    const aborted = toPasskeyError(dom('AbortError'), 10, 60_000, controller.signal);
    expect({ code: aborted.code, cause: aborted.cause }).toEqual({
      code: 'ABORTED',
      cause: expect.any(DOMException),
    });
  });

  it('times the ceremony itself', async () => {
    const slowRefusal = () =>
      new Promise<never>((_, reject) => setTimeout(() => reject(dom('NotAllowedError')), 60));
    await expect(ceremony(slowRefusal, 50, undefined, undefined)).rejects.toMatchObject({
      code: 'PASSKEY_TIMEOUT',
    });
    await expect(ceremony(slowRefusal, 5_000, undefined, undefined)).rejects.toMatchObject({
      code: 'PASSKEY_CANCELLED',
    });
  });

  it('an abort during the prompt closes it (cancel) and fails ABORTED; an aborted signal prompts nothing', async () => {
    const controller = new AbortController();
    let rejectPrompt: (reason: unknown) => void = () => {};
    const cancel = vi.fn(() => rejectPrompt(dom('AbortError')));
    const run = vi.fn(
      () =>
        new Promise<never>((_, reject) => {
          rejectPrompt = reject;
        }),
    );
    const pending = ceremony(run, 60_000, controller.signal, cancel);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(cancel).toHaveBeenCalledOnce();

    run.mockClear();
    await expect(ceremony(run, 60_000, controller.signal, cancel)).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(run).not.toHaveBeenCalled();
  });
});

/** A client whose fetch fails the test: for what must not send a request. */
function offlineClient() {
  const fetch = vi.fn<typeof globalThis.fetch>(() => {
    throw new Error('no request expected');
  });
  return { client: createClient({ baseUrl: 'https://auth.example.com', fetch, retry: 0 }), fetch };
}

const challenge = (webauthnOptions?: PublicKeyCredentialRequestOptionsJSON): MfaRequired => ({
  status: 'mfa_required',
  challenge: {
    id: 'mfa_1',
    methods: webauthnOptions ? ['totp', 'backup_code', 'webauthn'] : ['totp', 'backup_code'],
    expiresAt: new Date(Date.now() + 5 * 60_000),
    message: 'Provide your second factor',
    ...(webauthnOptions && { webauthnOptions }),
  },
  complete: vi.fn(() => Promise.reject(new Error('not expected'))),
});

const refusingAuthenticator = (error: unknown, delayMs = 0): PasskeyAuthenticator => ({
  register: vi.fn(
    () => new Promise<never>((_, reject) => setTimeout(() => reject(error), delayMs)),
  ),
  authenticate: vi.fn(
    () => new Promise<never>((_, reject) => setTimeout(() => reject(error), delayMs)),
  ),
});

describe('passkeys() without a server round trip', () => {
  it('takes only a client of createClient(), found through a registry symbol (any copy of the SDK)', () => {
    const { client } = offlineClient();
    expect(Object.keys(client)).toEqual(['auth', 'mfa', 'email']);
    expect(Object.getOwnPropertySymbols(client)).toEqual([Symbol.for('@twofold/client/send')]);
    expect(() => passkeys({ auth: {}, mfa: {}, email: {} } as unknown as TwofoldClient)).toThrow(
      TypeError,
    );
  });

  it('complete() of a challenge without webauthnOptions throws PASSKEY_NOT_OFFERED and sends nothing', async () => {
    const { client, fetch } = offlineClient();
    const authenticator = refusingAuthenticator(dom('NotAllowedError'));
    const result = challenge();
    const error = await passkeys(client, { authenticator })
      .complete(result)
      .catch((e: unknown) => e);
    expect(isTwofoldError(error) && error.code).toBe('PASSKEY_NOT_OFFERED');
    expect(authenticator.authenticate).not.toHaveBeenCalled();
    expect(result.complete).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses an expired challenge with CHALLENGE_EXPIRED before the prompt', async () => {
    const { client, fetch } = offlineClient();
    const authenticator = refusingAuthenticator(dom('NotAllowedError'));
    vi.spyOn(authenticator, 'authenticate');
    const result = challenge({ challenge: 'Y2hhbGxlbmdl' });
    result.challenge.expiresAt = new Date(Date.now() - 1);
    const error = await passkeys(client, { authenticator })
      .complete(result)
      .catch((e: unknown) => e);
    expect(isTwofoldError(error) && error.code).toBe('CHALLENGE_EXPIRED');
    expect(authenticator.authenticate).not.toHaveBeenCalled();
    expect(result.complete).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('where the browser has no WebAuthn: isSupported() is false, register() and complete() throw PASSKEY_UNSUPPORTED before any request', async () => {
    expect(globalThis.PublicKeyCredential).toBeUndefined(); // Node
    const { client, fetch } = offlineClient();
    const keys = passkeys(client);
    expect(keys.isSupported()).toBe(false);
    await expect(keys.isPlatformAuthenticatorAvailable()).resolves.toBe(false);
    await expect(keys.register({ name: 'x', password: PASSWORD })).rejects.toMatchObject({
      code: 'PASSKEY_UNSUPPORTED',
    });
    await expect(keys.complete(challenge({ challenge: 'Y2hhbGxlbmdl' }))).rejects.toMatchObject({
      code: 'PASSKEY_UNSUPPORTED',
    });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('with an authenticator given: supported; platform availability is what it says (default false, and false when it cannot say)', async () => {
    const { client } = offlineClient();
    const authenticator = refusingAuthenticator(dom('NotAllowedError'));
    expect(passkeys(client, { authenticator }).isSupported()).toBe(true);
    await expect(
      passkeys(client, { authenticator }).isPlatformAuthenticatorAvailable(),
    ).resolves.toBe(false);
    const platform = { ...authenticator, isPlatformAuthenticatorAvailable: async () => true };
    await expect(
      passkeys(client, { authenticator: platform }).isPlatformAuthenticatorAvailable(),
    ).resolves.toBe(true);
    const broken = {
      ...authenticator,
      isPlatformAuthenticatorAvailable: async () => {
        throw dom('NotSupportedError');
      },
    };
    await expect(
      passkeys(client, { authenticator: broken }).isPlatformAuthenticatorAvailable(),
    ).resolves.toBe(false);
  });

  it('maps what a given authenticator throws like the browser’s errors, timeout included', async () => {
    const { client, fetch } = offlineClient();
    const cases: [unknown, string, number?][] = [
      [dom('NotAllowedError'), 'PASSKEY_CANCELLED'],
      [dom('InvalidStateError'), 'PASSKEY_ALREADY_REGISTERED'],
      [dom('SecurityError'), 'PASSKEY_SECURITY_ERROR'],
      [dom('NotSupportedError'), 'PASSKEY_UNSUPPORTED'],
      [new TypeError('bad options'), 'PASSKEY_FAILED'],
      [dom('NotAllowedError'), 'PASSKEY_TIMEOUT', 60],
    ];
    for (const [thrown, code, delayMs] of cases) {
      // A prompt refused at once is no timeout, however slow a loaded machine is to notice.
      const timeout = delayMs === undefined ? 60_000 : 50;
      const result = challenge({ challenge: 'Y2hhbGxlbmdl', timeout });
      const authenticator = refusingAuthenticator(thrown, delayMs ?? 0);
      const error = await passkeys(client, { authenticator })
        .complete(result)
        .catch((e: unknown) => e);
      expect({ code: (error as TwofoldError).code, cause: (error as TwofoldError).cause }).toEqual({
        code,
        cause: thrown,
      });
      expect(result.complete).not.toHaveBeenCalled();
    }
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('passkeys against the reference server (in-process) with the software authenticator', () => {
  /** A server with passkeys on, and a client logged in as a new user (with TOTP when `totp`). */
  async function setup(username: string, { totp = false } = {}) {
    const t = inProcessServer({
      clock: testClock({ start: Date.now() }),
      webauthn: { rpId: 'localhost', rpName: 'Twofold', origins: [ORIGIN] },
    });
    const client = createClient({ baseUrl: t.baseUrl, fetch: t.fetch, retry: 0 });
    await t.server.admin.createUser({
      username,
      email: `${username}@example.com`,
      password: PASSWORD,
      ...(totp && { mfa: {} }),
    });
    const secret = (await t.server.admin.totpSecret(username)) ?? '';
    const result = await client.auth.login({ username, password: PASSWORD });
    if (result.status === 'mfa_required') await result.complete({ code: t.codeFor(secret) });
    return { t, client, secret };
  }

  it('registers a first passkey (backup codes), lists it, logs in with it, removes it with the password', async () => {
    const { t, client } = await setup('ada');
    const authenticator: SoftwareAuthenticator = createSoftwareAuthenticator({ origin: ORIGIN });
    const keys = passkeys(client, { authenticator });

    const added = await keys.register({ name: 'Ada’s laptop', password: PASSWORD });
    expect(added).toEqual({
      credentialId: authenticator.credentials[0]?.id,
      name: 'Ada’s laptop',
      createdAt: expect.any(Date),
      backupCodes: expect.any(Array),
    });
    expect(added.backupCodes).toHaveLength(10);
    expect(await client.mfa.status()).toMatchObject({ enabled: true, methods: ['webauthn'] });
    const [listed] = await keys.list();
    expect(listed).toEqual({
      credentialId: added.credentialId,
      name: 'Ada’s laptop',
      createdAt: added.createdAt,
    });

    // Log in again: the challenge offers the passkey, which completes it.
    await client.auth.logout();
    const result = await client.auth.login({ username: 'ada', password: PASSWORD });
    if (result.status !== 'mfa_required') throw new Error('expected mfa_required');
    expect(result.challenge.methods).toContain('webauthn');
    expect(result.challenge.webauthnOptions).toMatchObject({
      challenge: expect.any(String),
      rpId: 'localhost',
      allowCredentials: [expect.objectContaining({ id: added.credentialId })],
    });
    const requestsBefore = t.requests.length;
    const done = await keys.complete(result);
    expect(done.status).toBe('authenticated');
    expect(done.session.user.username).toBe('ada');
    expect(t.requests.slice(requestsBefore)).toEqual(['POST /api/v1/auth/login']);
    expect(authenticator.credentials[0]?.counter).toBe(1);
    const [used] = await keys.list();
    expect(used?.lastUsedAt).toBeInstanceOf(Date);

    // Removing needs a proof; the right password removes it, and with it MFA.
    await expect(
      keys.remove(added.credentialId, { password: 'not the password' }),
    ).rejects.toMatchObject({ code: 'MFA_UNAUTHORIZED' });
    await keys.remove(added.credentialId, { password: PASSWORD });
    expect(await keys.list()).toEqual([]);
    expect(await client.mfa.status()).toMatchObject({ enabled: false });
  });

  it('a cancelled prompt is PASSKEY_CANCELLED and sends nothing; the challenge still works after', async () => {
    const { t, client } = await setup('bob');
    const authenticator = createSoftwareAuthenticator({ origin: ORIGIN });
    const keys = passkeys(client, { authenticator });

    authenticator.cancelNext();
    const cancelledRegistration = await keys
      .register({ password: PASSWORD })
      .catch((e: unknown) => e);
    expect(cancelledRegistration).toMatchObject({ code: 'PASSKEY_CANCELLED', status: 0 });
    expect((cancelledRegistration as TwofoldError).cause).toMatchObject({
      name: 'NotAllowedError',
    });
    expect(await keys.list()).toEqual([]);
    await keys.register({ password: PASSWORD });

    await client.auth.logout();
    const result = await client.auth.login({ username: 'bob', password: PASSWORD });
    if (result.status !== 'mfa_required') throw new Error('expected mfa_required');
    authenticator.cancelNext();
    const requestsBefore = t.requests.length;
    await expect(keys.complete(result)).rejects.toMatchObject({ code: 'PASSKEY_CANCELLED' });
    expect(t.requests.length).toBe(requestsBefore);
    await expect(keys.complete(result)).resolves.toMatchObject({ status: 'authenticated' });
  });

  it('once MFA is on, adding a passkey takes a step-up proof; the same authenticator again is PASSKEY_ALREADY_REGISTERED', async () => {
    const { t, client, secret } = await setup('cy', { totp: true });
    const authenticator = createSoftwareAuthenticator({ origin: ORIGIN });
    const keys = passkeys(client, { authenticator });

    await expect(keys.register({ name: 'Key' })).rejects.toMatchObject({
      code: 'MFA_UNAUTHORIZED',
    });
    t.clock.advance(30_000); // a fresh TOTP step: the login's code cannot be replayed
    const added = await keys.register({ name: 'Key', code: t.codeFor(secret) });
    expect(added.backupCodes).toBeUndefined(); // not the first second factor
    expect(await client.mfa.status()).toMatchObject({ methods: ['totp', 'webauthn'] });

    const again = await keys.register({ password: PASSWORD }).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'PASSKEY_ALREADY_REGISTERED' });
    expect((again as TwofoldError).cause).toMatchObject({ name: 'InvalidStateError' });
    expect(await keys.list()).toHaveLength(1);

    // Removed with a TOTP code as the proof; TOTP stays on.
    t.clock.advance(30_000);
    await keys.remove(added.credentialId, { code: t.codeFor(secret) });
    expect(await client.mfa.status()).toMatchObject({ enabled: true, methods: ['totp'] });
  });

  it('a login challenge of a user without a passkey is PASSKEY_NOT_OFFERED, with no request', async () => {
    const { t, client } = await setup('dee', { totp: true });
    await client.auth.logout();
    const result = await client.auth.login({ username: 'dee', password: PASSWORD });
    if (result.status !== 'mfa_required') throw new Error('expected mfa_required');
    expect(result.challenge.webauthnOptions).toBeUndefined();
    const requestsBefore = t.requests.length;
    const keys = passkeys(client, {
      authenticator: createSoftwareAuthenticator({ origin: ORIGIN }),
    });
    await expect(keys.complete(result)).rejects.toMatchObject({ code: 'PASSKEY_NOT_OFFERED' });
    expect(t.requests.length).toBe(requestsBefore);
  });

  it('what the server refuses stays the server’s code (an answer made for another origin)', async () => {
    const { client } = await setup('eve');
    const authenticator = createSoftwareAuthenticator({ origin: 'http://evil.localhost:5173' });
    await expect(
      passkeys(client, { authenticator }).register({ password: PASSWORD }),
    ).rejects.toMatchObject({
      code: 'WEBAUTHN_VERIFICATION_FAILED',
      status: 400,
    });
  });
});

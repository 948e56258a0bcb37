import { createClient, isTwofoldError, type TwofoldError } from '@twofold/client';
import { passkeys } from '@twofold/client/webauthn';
import { base32Decode, totp } from '@twofold/otp';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSoftwareAuthenticator } from '../src/authenticator.js';
import { createTwofoldMock } from '../src/index.js';
import { setupTwofoldMock } from '../src/node.js';

const BASE_URL = 'http://controls.twofold.test';
const mock = setupTwofoldMock({ baseUrl: BASE_URL });
beforeAll(() => mock.listen({ onUnhandledRequest: 'error' }));
afterEach(() => mock.reset());
afterAll(() => mock.close());

const client = (timeout = 2000) => createClient({ baseUrl: BASE_URL, retry: 0, timeout });
const password = 'correct horse battery staple';

async function failure(promise: Promise<unknown>): Promise<TwofoldError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  if (!isTwofoldError(error)) throw new Error(`not a TwofoldError: ${String(error)}`);
  return error;
}

async function loggedIn(username = 'ada') {
  await mock.users.create({ username, email: `${username}@example.com`, password });
  const sdk = client();
  await sdk.auth.login({ username, password });
  return sdk;
}

describe('clock control', () => {
  it('rejects a code from 90 s ago, and accepts it once the clock is set back', async () => {
    const seeded = await mock.users.create({
      username: 'clocked',
      email: 'clocked@example.com',
      password,
      mfa: {},
    });
    const then = mock.clock.now() - 90_000;
    const oldCode = totp(base32Decode(seeded.secret ?? ''), { time: then });
    const first = await client().auth.login({ username: 'clocked', password });
    if (first.status !== 'mfa_required') throw new Error('expected a challenge');
    expect((await failure(first.complete({ code: oldCode }))).code).toBe('MFA_INVALID_CODE');
    mock.clock.set(then);
    const second = await client().auth.login({ username: 'clocked', password });
    if (second.status !== 'mfa_required') throw new Error('expected a challenge');
    expect((await second.complete({ code: oldCode })).status).toBe('authenticated');
  });

  it('expires an email token after 24 h + 1 s', async () => {
    const sdk = await loggedIn();
    const { verificationToken } = await sdk.email.sendVerification();
    mock.clock.advance(24 * 60 * 60_000 + 1_000);
    expect((await failure(sdk.email.verify(verificationToken))).code).toBe('INVALID_TOKEN');
  });

  it('expires a pending setup after 10 minutes', async () => {
    const sdk = await loggedIn();
    await sdk.mfa.setup({ password });
    mock.clock.advance(10 * 60_000 + 1_000);
    const code = await mock.totp.currentCode('ada');
    expect((await failure(sdk.mfa.verify(code))).code).toBe('MFA_NOT_PENDING');
  });
});

describe('seeding and inspection', () => {
  it('creates users (verified, with MFA), lists sent emails newest first, and gives current codes', async () => {
    await mock.users.create({
      username: 'seed',
      email: 'seed@example.com',
      password,
      emailVerified: true,
      mfa: { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' },
    });
    const step = await client().auth.login({ username: 'seed', password });
    if (step.status !== 'mfa_required') throw new Error('expected a challenge');
    const { session } = await step.complete({ code: await mock.totp.currentCode('seed') });
    expect(session.user.username).toBe('seed');

    const sdk = await loggedIn('mailer');
    await sdk.email.sendVerification();
    mock.clock.advance(1_000);
    await sdk.email.sendVerification();
    const mails = mock.outbox.list('MAILER@example.com');
    expect(mails).toHaveLength(2);
    expect(Date.parse(mails[0]?.sent_at ?? '')).toBeGreaterThan(
      Date.parse(mails[1]?.sent_at ?? ''),
    );
    expect(mails[0]?.link).toBe(`${BASE_URL}/verify-email?token=${mails[0]?.token}`);
    expect(mock.outbox.list()).toHaveLength(2);
    expect((await sdk.email.verify(mails[0]?.token ?? '')).verified).toBe(true);
    await expect(mock.totp.currentCode('mailer')).rejects.toThrow(/no TOTP secret/);
  });
});

describe('forced failures and network conditions produce the SDK error codes', () => {
  it('fail() answers with the envelope code and its status, `times` times', async () => {
    const sdk = await loggedIn();
    mock.fail('mfa.status', { code: 'MFA_ERROR', times: 1 });
    const forced = await failure(sdk.mfa.status());
    expect(forced.code).toBe('MFA_ERROR');
    expect(forced.status).toBe(500);
    expect((await sdk.mfa.status()).enabled).toBe(false);
    mock.fail('mfa.verify', { code: 'RATE_LIMITED', retryAfter: 30 });
    const limited = await failure(sdk.mfa.verify('123456'));
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfter: 30 });
    expect((await failure(sdk.mfa.verify('123456'))).code).toBe('RATE_LIMITED');
    mock.fail('*', { code: 'SERVER_ERROR', status: 503, message: 'maintenance' });
    expect(await failure(sdk.auth.validate())).toMatchObject({
      code: 'SERVER_ERROR',
      status: 503,
      message: 'maintenance',
    });
  });

  it("network('offline') → NETWORK_ERROR, 'timeout' → TIMEOUT, latency still answers, 'online' restores", async () => {
    const sdk = await loggedIn();
    mock.network('mfa.status', 'offline');
    expect((await failure(sdk.mfa.status())).code).toBe('NETWORK_ERROR');
    mock.network('mfa.status', 'online');
    expect((await sdk.mfa.status()).enabled).toBe(false);
    mock.network('*', 'timeout');
    expect(
      (
        await failure(
          createClient({ baseUrl: BASE_URL, retry: 0, timeout: 150 }).email.resend('a@example.com'),
        )
      ).code,
    ).toBe('TIMEOUT');
    mock.network('*', { delayMs: 50 });
    expect((await client().email.resend('b@example.com')).sent).toBe(true);
  });
});

describe('isolation', () => {
  it('reset() forgets users, emails and conditions', async () => {
    await loggedIn('before');
    mock.network('*', 'offline');
    mock.reset();
    expect((await failure(client().auth.login({ username: 'before', password }))).code).toBe(
      'INVALID_CREDENTIALS',
    );
    expect(mock.outbox.list()).toEqual([]);
  });

  it("two mocks with different baseUrls in the user's own setupServer do not share state", async () => {
    const a = createTwofoldMock({ baseUrl: 'http://a.twofold.test' });
    const b = createTwofoldMock({ baseUrl: 'http://b.twofold.test' });
    mock.close();
    const own = setupServer(...a.handlers, ...b.handlers);
    own.listen({ onUnhandledRequest: 'error' });
    try {
      await a.users.create({ username: 'only_a', email: 'only_a@example.com', password });
      expect(
        (
          await createClient({ baseUrl: 'http://a.twofold.test' }).auth.login({
            username: 'only_a',
            password,
          })
        ).status,
      ).toBe('authenticated');
      const onB = await failure(
        createClient({ baseUrl: 'http://b.twofold.test' }).auth.login({
          username: 'only_a',
          password,
        }),
      );
      expect(onB.code).toBe('INVALID_CREDENTIALS');
    } finally {
      own.close();
      mock.listen({ onUnhandledRequest: 'error' });
    }
  });
});

describe('passkey controls', () => {
  it('seeds a passkey from a software authenticator, which then completes the login; list shows its counter', async () => {
    await mock.users.create({ username: 'keyed', email: 'keyed@example.com', password });
    const authenticator = createSoftwareAuthenticator({ origin: 'http://localhost:5173' });
    const seeded = await mock.passkeys.seed('keyed', authenticator, 'Seeded key');
    expect(seeded.backupCodes).toHaveLength(10);
    expect(await mock.passkeys.list('keyed')).toEqual([
      expect.objectContaining({
        credentialId: seeded.credentialId,
        name: 'Seeded key',
        counter: 0,
      }),
    ]);
    const sdk = client();
    const result = await sdk.auth.login({ username: 'keyed', password });
    if (result.status !== 'mfa_required') throw new Error('expected a challenge');
    expect(result.challenge.methods).toEqual(['backup_code', 'webauthn']);
    const before = mock.clock.now();
    const done = await passkeys(sdk, { authenticator }).complete(result);
    expect(done.status).toBe('authenticated');
    const [listed] = await mock.passkeys.list('keyed');
    expect(listed?.counter).toBe(1);
    const lastUsed = Date.parse(listed?.lastUsedAt ?? '');
    expect(lastUsed).toBeGreaterThanOrEqual(before);
    expect(lastUsed).toBeLessThanOrEqual(mock.clock.now());
  });

  it('refuses to seed a credential id another user holds', async () => {
    await mock.users.create({ username: 'first', email: 'first@example.com', password });
    await mock.users.create({ username: 'second', email: 'second@example.com', password });
    const credential = { credentialId: 'AAAAAAAAAAAAAAAAAAAAAA', publicKey: 'pQECAyYgASFYIA' };
    await mock.passkeys.seed('first', credential);
    await expect(mock.passkeys.seed('second', credential)).rejects.toThrow(/another user/);
  });
});

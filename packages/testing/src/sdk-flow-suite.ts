import {
  type ClientOptions,
  isTwofoldError,
  memoryTokenStore,
  type Session,
  type TwofoldClient,
  TwofoldError,
  webStorageTokenStore,
} from '@twofold/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PASSWORD, uniqueName } from './http-driver.js';

/** Credentials of a user nobody registered yet (unique names per process). */
export function uniqueUser(prefix = 'sdk'): { username: string; email: string; password: string } {
  const username = uniqueName(prefix);
  return { username, email: `${username}@example.com`, password: PASSWORD };
}

/** What the SDK flow tests need from a target: the reference server, the mock, … */
export interface SdkTarget {
  client(extra?: Partial<ClientOptions>): TwofoldClient;
  /** The TOTP code for a base32 secret at the target's clock (plus `offsetSteps`). */
  code(secret: string, offsetSteps?: number): string;
  clock: { now(): number; advance(ms: number): void };
  /** Requests the target answered, as `METHOD /path`. */
  requests: string[];
}

async function expectCode(
  promise: Promise<unknown>,
  code: string,
  status?: number,
): Promise<TwofoldError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isTwofoldError(error), `expected TwofoldError ${code}, got ${String(error)}`).toBe(true);
  expect((error as TwofoldError).code).toBe(code);
  if (status !== undefined) expect((error as TwofoldError).status).toBe(status);
  return error as TwofoldError;
}

/**
 * The SDK's flow tests, against any target: the client package runs them against the reference
 * server in-process, the mock package against the mock, so both answer the SDK alike.
 */
export function describeSdkFlows(label: string, makeTarget: () => SdkTarget): void {
  afterEach(() => vi.useRealTimers());

  describe(`the SDK against ${label}`, () => {
    it('registers, logs in, validates, and logs out (camelCase in and out)', async () => {
      const t = makeTarget();
      const changes: (Session | null)[] = [];
      const client = t.client({ onSessionChange: (s) => changes.push(s) });
      const user = uniqueUser();
      const registered = await client.auth.register(user);
      expect(registered).toEqual({
        userId: expect.stringMatching(/^user_/),
        username: user.username,
        email: user.email,
      });

      const login = await client.auth.login({ username: user.username, password: user.password });
      expect(login.status).toBe('authenticated');
      if (login.status !== 'authenticated') return;
      expect(login.session).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresAt: expect.any(Number),
        user: { id: registered.userId, username: user.username, roles: ['user'], permissions: [] },
      });
      expect(changes).toEqual([login.session]);
      expect(await client.auth.session()).toEqual(login.session);
      expect(await client.auth.validate()).toEqual(login.session.user);

      await client.auth.logout();
      expect(changes.at(-1)).toBeNull();
      expect(await client.auth.session()).toBeNull();
      await expectCode(client.auth.validate(), 'UNAUTHORIZED');
      // The old access token was revoked on the server too.
      const other = t.client({ tokenStore: { get: () => login.session, set: () => {} } });
      await expectCode(other.auth.validate(), 'INVALID_TOKEN', 401);
    });

    it('enrols MFA, logs in with the challenge (TOTP, then a backup code), regenerates and disables', async () => {
      const t = makeTarget();
      const client = t.client();
      const user = uniqueUser();
      await client.auth.register(user);
      await client.auth.login(user);
      const setup = await client.mfa.setup({ password: user.password });
      expect(setup.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
      expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(setup.backupCodes).toHaveLength(10);
      await client.mfa.verify(t.code(setup.secret));
      expect(await client.mfa.status()).toEqual({
        enabled: true,
        methods: ['totp'],
        backupCodesRemaining: 10,
      });

      t.clock.advance(30_000);
      const fresh = t.client();
      const step1 = await fresh.auth.login(user);
      expect(step1.status).toBe('mfa_required');
      if (step1.status !== 'mfa_required') return;
      expect(step1.challenge).toEqual({
        id: expect.stringMatching(/^mfa_/),
        methods: ['totp', 'backup_code'],
        expiresAt: expect.any(Date),
        message: 'Provide your current TOTP code or a backup code to complete login',
      });
      // Five minutes from now on this device's clock (the server's expires_in).
      expect(
        Math.abs(step1.challenge.expiresAt.getTime() - (Date.now() + 5 * 60_000)),
      ).toBeLessThan(2000);
      await expectCode(step1.complete({ code: '000000' }), 'MFA_INVALID_CODE', 400);
      const done = await step1.complete({ code: t.code(setup.secret) });
      expect(done.status).toBe('authenticated');
      expect(await fresh.auth.session()).toEqual(done.session);

      const again = await t.client().auth.login(user);
      if (again.status !== 'mfa_required') throw new Error('expected MFA');
      const viaBackup = await again.complete({ code: setup.backupCodes[0] ?? '' });
      expect(viaBackup.status).toBe('authenticated');

      await expectCode(client.mfa.verifyBackupCode(setup.backupCodes[0] ?? ''), 'MFA_INVALID_CODE');
      await client.mfa.verifyBackupCode(setup.backupCodes[1] ?? '');
      await expectCode(
        client.mfa.regenerateBackupCodes({ password: 'wrong' }),
        'MFA_UNAUTHORIZED',
        403,
      );
      const codes = await client.mfa.regenerateBackupCodes({ password: user.password });
      expect(codes).toHaveLength(10);
      t.clock.advance(30_000);
      const viaCode = await client.mfa.regenerateBackupCodes({ code: t.code(setup.secret) });
      expect(viaCode).toHaveLength(10);
      t.clock.advance(30_000);
      await client.mfa.disable({ password: user.password, code: t.code(setup.secret) });
      expect((await client.mfa.status()).enabled).toBe(false);
    });

    it('sends, verifies and resends verification emails', async () => {
      const t = makeTarget();
      const client = t.client();
      const user = uniqueUser();
      await client.auth.register(user);
      await client.auth.login(user);
      const sent = await client.email.sendVerification();
      expect(sent).toEqual({
        sent: true,
        verificationToken: expect.stringMatching(/^[\w-]{43}$/),
        message: 'Verification token generated. Use POST /auth/verify-email to confirm.',
      });
      const verified = await client.email.verify(sent.verificationToken);
      expect(verified).toEqual({
        verified: true,
        userId: expect.stringMatching(/^user_/),
        message: 'Email address verified successfully',
      });
      await expectCode(client.email.verify(sent.verificationToken), 'INVALID_TOKEN', 401);
      expect(await client.email.resend(user.email)).toEqual({
        sent: true,
        verificationToken: '',
        message: 'If an account with that email exists, a verification token has been generated.',
      });
      await expectCode(client.email.resend(user.email), 'RATE_LIMITED', 429);
    });

    it('refreshes an expired access token once, transparently, for concurrent callers', async () => {
      const t = makeTarget();
      const client = t.client();
      const user = uniqueUser();
      await client.auth.register(user);
      const login = await client.auth.login(user);
      if (login.status !== 'authenticated') throw new Error('expected a session');
      // Both clocks move past the access token's hour: the server's and the SDK's.
      t.clock.advance(3601_000);
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3601_000 });
      t.requests.length = 0;
      const statuses = await Promise.all(Array.from({ length: 5 }, () => client.mfa.status()));
      expect(statuses.every((s) => s.enabled === false)).toBe(true);
      expect(t.requests.filter((r) => r.endsWith('/auth/refresh'))).toHaveLength(1);
      expect(t.requests.filter((r) => r.endsWith('/mfa/status'))).toHaveLength(5);
      const refreshed = await client.auth.session();
      expect(refreshed?.accessToken).not.toBe(login.session.accessToken);
      expect(refreshed?.refreshToken).toBe(login.session.refreshToken);
    });

    it('refreshes once when the server calls the token stale before the SDK expected it', async () => {
      const t = makeTarget();
      const client = t.client();
      const user = uniqueUser();
      await client.auth.register(user);
      await client.auth.login(user);
      t.clock.advance(3601_000); // only the server's clock: the SDK thinks the token is fine
      t.requests.length = 0;
      const results = await Promise.all([
        client.auth.validate(),
        client.auth.validate(),
        client.mfa.status(),
      ]);
      expect(results[0]?.username).toBe(user.username);
      expect(t.requests.filter((r) => r.endsWith('/auth/refresh'))).toHaveLength(1);
    });

    it('ends the session when the refresh token is refused', async () => {
      const t = makeTarget();
      const changes: (Session | null)[] = [];
      const client = t.client({ onSessionChange: (s) => changes.push(s) });
      const user = uniqueUser();
      await client.auth.register(user);
      await client.auth.login(user);
      t.clock.advance(31 * 24 * 3600_000); // past the refresh token's 30 days as well
      await expectCode(client.mfa.status(), 'INVALID_TOKEN', 401);
      expect(changes.at(-1)).toBeNull();
    });

    it('surfaces every server error code as a TwofoldError with status, details and retryAfter', async () => {
      const t = makeTarget();
      const client = t.client();
      await expectCode(client.auth.login({ username: '', password: '' }), 'VALIDATION_ERROR', 400);
      await expectCode(
        client.auth.login({ username: 'nobody', password: 'x' }),
        'INVALID_CREDENTIALS',
        401,
      );
      const user = uniqueUser();
      await client.auth.register(user);
      await expectCode(client.auth.register(user), 'CONFLICT', 409);
      await client.auth.login(user);
      await expectCode(client.mfa.verify('123456'), 'MFA_NOT_PENDING', 409);
      await expectCode(client.mfa.verify('12'), 'VALIDATION_ERROR', 400);
      await expectCode(
        client.mfa.disable({ password: 'wrong', code: '123456' }),
        'MFA_UNAUTHORIZED',
        403,
      );
      await expectCode(
        client.mfa.disable({ password: user.password, code: '123456' }),
        'MFA_NOT_ENABLED',
        409,
      );
      await expectCode(client.mfa.verifyBackupCode('ABCDEFGH'), 'MFA_ERROR', 500);
      const setup = await client.mfa.setup({ password: user.password });
      await client.mfa.verify(t.code(setup.secret));
      await expectCode(client.mfa.setup({ password: '' }), 'MFA_ALREADY_ENABLED', 409);
      for (let i = 0; i < 5; i++)
        await expectCode(client.mfa.verifyBackupCode('WRONGXXX'), 'MFA_INVALID_CODE');
      const limited = await expectCode(
        client.mfa.verifyBackupCode('WRONGXXX'),
        'RATE_LIMITED',
        429,
      );
      expect(limited.retryAfter).toBeGreaterThan(0);
      expect(limited.details).toEqual({ retry_after_seconds: limited.retryAfter });
      await expectCode(client.email.verify('nope'), 'INVALID_TOKEN', 401);
      await expectCode(t.client().mfa.status(), 'UNAUTHORIZED');
    });

    it('keeps sessions in Web Storage, and reads garbage there as no session', async () => {
      const t = makeTarget();
      const backing = new Map<string, string>();
      const storage = {
        getItem: (k: string) => backing.get(k) ?? null,
        setItem: (k: string, v: string) => void backing.set(k, v),
        removeItem: (k: string) => void backing.delete(k),
      };
      const user = uniqueUser();
      const first = t.client({ tokenStore: webStorageTokenStore(storage) });
      await first.auth.register(user);
      await first.auth.login(user);
      expect(JSON.parse(backing.get('twofold.session') ?? '{}').user.username).toBe(user.username);
      // A second client on the same storage (a page reload) is logged in.
      const reloaded = t.client({ tokenStore: webStorageTokenStore(storage) });
      expect((await reloaded.auth.validate()).username).toBe(user.username);
      backing.set('twofold.session', '{"not":"a session"}');
      expect(await reloaded.auth.session()).toBeNull();
      backing.set('twofold.session', '{broken');
      expect(await webStorageTokenStore(storage).get()).toBeNull();
      expect(memoryTokenStore().get()).toBeNull();
    });

    it('takes a signal on every method and reports an abort as ABORTED', async () => {
      const t = makeTarget();
      const client = t.client();
      const controller = new AbortController();
      controller.abort();
      await expectCode(
        client.auth.register(uniqueUser(), { signal: controller.signal }),
        'ABORTED',
      );
      await expectCode(
        client.email.resend('x@example.com', { signal: controller.signal }),
        'ABORTED',
      );
    });

    it('recognises TwofoldErrors across realms', () => {
      const error = new TwofoldError({ code: 'TIMEOUT', message: 'slow' });
      expect(isTwofoldError(error)).toBe(true);
      const foreign = Object.defineProperty(
        new Error('x'),
        Symbol.for('@twofold/client/TwofoldError'),
        { value: true },
      );
      expect(isTwofoldError(foreign)).toBe(true);
      expect(isTwofoldError(new Error('x'))).toBe(false);
      expect(error.status).toBe(0);
    });
  });
}

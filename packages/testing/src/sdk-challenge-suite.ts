import { isTwofoldError, type MfaRequired, type TwofoldError } from '@twofold/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SdkTarget } from './sdk-flow-suite.js';
import { uniqueUser } from './sdk-flow-suite.js';

/** The rejection of `promise`, which must be a TwofoldError with `code`. */
async function refusal(promise: Promise<unknown>, code: string): Promise<TwofoldError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isTwofoldError(error), `expected TwofoldError ${code}, got ${String(error)}`).toBe(true);
  expect((error as TwofoldError).code).toBe(code);
  return error as TwofoldError;
}

/** `123456` as people type it: `123 456`. */
const spaced = (code: string) => `${code.slice(0, 3)} ${code.slice(3)}`;

/**
 * The SDK's side of the login challenge and the recovery path (issue 12, items 4, 5 and 7),
 * against any target: codes as people type them, why a code was refused, the local expiry
 * check, one request per double click, and moving to a new authenticator with a backup code.
 */
export function describeSdkChallengeRules(label: string, makeTarget: () => SdkTarget): void {
  afterEach(() => vi.useRealTimers());

  /** A user with TOTP on, the client that enrolled them, and the secret. */
  async function enrolled(t: SdkTarget) {
    const client = t.client();
    const user = uniqueUser('chal');
    await client.auth.register(user);
    await client.auth.login(user);
    const setup = await client.mfa.setup({ password: user.password });
    await client.mfa.verify(spaced(t.code(setup.secret)));
    t.clock.advance(30_000); // the next code is a new one (replay protection)
    return { client, user, setup };
  }

  async function challenge(t: SdkTarget, user: { username: string; password: string }) {
    const step1 = await t.client().auth.login(user);
    if (step1.status !== 'mfa_required') throw new Error('expected an MFA challenge');
    return step1 as MfaRequired;
  }

  describe(`the login challenge through the SDK against ${label}`, () => {
    it('takes codes with spaces and hyphens on every route', async () => {
      const t = makeTarget();
      const { client, user, setup } = await enrolled(t); // verify() took "123 456"
      const step1 = await challenge(t, user);
      const code = t.code(setup.secret);
      const done = await step1.complete({ code: `${code.slice(0, 3)}-${code.slice(3)}` });
      expect(done.status).toBe('authenticated');
      t.clock.advance(30_000);
      expect(
        await client.mfa.regenerateBackupCodes({ code: spaced(t.code(setup.secret)) }),
      ).toHaveLength(10);
      t.clock.advance(30_000);
      await client.mfa.disable({ password: user.password, code: spaced(t.code(setup.secret)) });
      expect((await client.mfa.status()).enabled).toBe(false);
    });

    it('says why a code was refused: wrong code (with attempts left), expired, rate-limited', async () => {
      const t = makeTarget();
      const { user, setup } = await enrolled(t);
      const step1 = await challenge(t, user);
      const wrong = await refusal(step1.complete({ code: '000000' }), 'MFA_INVALID_CODE');
      expect(wrong).toMatchObject({ status: 400, reason: 'wrong_code', attemptsRemaining: 4 });
      // Only the server's clock moves: the SDK still thinks the challenge is alive and asks.
      t.clock.advance(5 * 60_000 + 1000);
      const expired = await refusal(
        step1.complete({ code: t.code(setup.secret) }),
        'MFA_INVALID_CODE',
      );
      expect(expired.reason).toBe('expired');
      expect(expired.attemptsRemaining).toBeUndefined();

      // The user's fifth wrong code in 15 minutes crosses their limit: RATE_LIMITED at once,
      // with the wait (the challenge's own count, 5, would say exhausted one code later).
      const again = await challenge(t, user);
      for (const left of [4, 3, 2]) {
        const refused = await refusal(again.complete({ code: `00000${left}` }), 'MFA_INVALID_CODE');
        expect(refused.attemptsRemaining).toBe(left);
      }
      const limited = await refusal(again.complete({ code: '000009' }), 'RATE_LIMITED');
      expect(limited.status).toBe(429);
      expect(limited.retryAfter).toBeGreaterThan(0);
      expect(limited.reason).toBeUndefined();
    });

    it('refuses locally with CHALLENGE_EXPIRED once expiresAt has passed, sending nothing', async () => {
      const t = makeTarget();
      const { user, setup } = await enrolled(t);
      const step1 = await challenge(t, user);
      vi.useFakeTimers({ toFake: ['Date'], now: step1.challenge.expiresAt.getTime() });
      t.requests.length = 0;
      const expired = await refusal(
        step1.complete({ code: t.code(setup.secret) }),
        'CHALLENGE_EXPIRED',
      );
      expect(expired.status).toBe(0);
      expect(t.requests).toEqual([]);
    });

    it('times the challenge on the device clock, so a clock minutes ahead still logs in', async () => {
      const t = makeTarget();
      const { user, setup } = await enrolled(t);
      const deviceAhead = Date.now() + 10 * 60_000; // 10 minutes fast: past the server's expires_at
      vi.useFakeTimers({ toFake: ['Date'], now: deviceAhead });
      const step1 = await challenge(t, user);
      expect(
        Math.abs(step1.challenge.expiresAt.getTime() - (deviceAhead + 5 * 60_000)),
      ).toBeLessThan(2000);
      const done = await step1.complete({ code: t.code(setup.secret) });
      expect(done.status).toBe('authenticated');
    });

    it('sends one request for a double click on complete() and on verify()', async () => {
      const t = makeTarget();
      const { user, setup } = await enrolled(t);
      const step1 = await challenge(t, user);
      t.requests.length = 0;
      const code = t.code(setup.secret);
      const [first, second] = await Promise.all([
        step1.complete({ code }),
        step1.complete({ code: spaced(code) }), // the same code, typed differently
      ]);
      expect(second).toEqual(first);
      expect(t.requests.filter((r) => r.endsWith('/auth/login'))).toHaveLength(1);

      const fresh = t.client();
      const other = uniqueUser('dbl');
      await fresh.auth.register(other);
      await fresh.auth.login(other);
      const pending = await fresh.mfa.setup({ password: other.password });
      t.requests.length = 0;
      const pendingCode = t.code(pending.secret);
      await Promise.all([fresh.mfa.verify(pendingCode), fresh.mfa.verify(pendingCode)]);
      expect(t.requests.filter((r) => r.endsWith('/mfa/verify'))).toHaveLength(1);
      // Different answers are different requests: the second one is checked on its own.
      const step2 = await challenge(t, other);
      t.requests.length = 0;
      const results = await Promise.allSettled([
        step2.complete({ code: '000000' }),
        step2.complete({ code: '000001' }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect(t.requests.filter((r) => r.endsWith('/auth/login'))).toHaveLength(2);
    });

    it('moves a user who lost the authenticator to a new one with a backup code', async () => {
      const t = makeTarget();
      const { user, setup } = await enrolled(t);
      const [first, second, third] = setup.backupCodes;
      // 1. Log in with a backup code.
      const session = await (await challenge(t, user)).complete({ code: first ?? '' });
      expect(session.status).toBe('authenticated');
      const client = t.client({ tokenStore: { get: () => session.session, set: () => {} } });
      // 2. Without a proof, setup stays refused; with a wrong password too.
      await refusal(client.mfa.setup({ password: '' }), 'MFA_ALREADY_ENABLED');
      await refusal(
        client.mfa.replace({ password: 'wrong', backupCode: second ?? '' }),
        'MFA_UNAUTHORIZED',
      );
      const next = await client.mfa.replace({ password: user.password, backupCode: second ?? '' });
      expect(next.secret).not.toBe(setup.secret);
      expect(next.backupCodes).toHaveLength(10);
      // 3. Until the new secret is confirmed, the old factor still logs in.
      t.clock.advance(30_000);
      const old = await (await challenge(t, user)).complete({ code: t.code(setup.secret) });
      expect(old.status).toBe('authenticated');
      await client.mfa.verify(t.code(next.secret));
      t.clock.advance(30_000);
      const refused = await refusal(
        (await challenge(t, user)).complete({ code: t.code(setup.secret) }),
        'MFA_INVALID_CODE',
      );
      expect(refused.reason).toBe('wrong_code');
      await refusal((await challenge(t, user)).complete({ code: third ?? '' }), 'MFA_INVALID_CODE');
      // 4. Or turn MFA off with the password and a backup code of the new set.
      await client.mfa.disable({ password: user.password, backupCode: next.backupCodes[0] ?? '' });
      expect(await client.mfa.status()).toMatchObject({ enabled: false, methods: [] });
    });
  });
}

import { inProcessServer } from '@twofold/testing';
import { describe, expect, it } from 'vitest';

describe('attempt limits (spec §3 rule 3)', () => {
  it('refuses every route after 5 failures, details holding only retry_after_seconds, and consumes nothing it refuses', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    for (let i = 0; i < 5; i++) {
      const wrong = await t.call('POST', '/mfa/verify-backup-code', {
        token: user.accessToken,
        body: { backup_code: `WRONG${i}XX` },
      });
      expect(wrong.body.error.code).toBe('MFA_INVALID_CODE');
    }
    const limited = await t.call('POST', '/mfa/verify-backup-code', {
      token: user.accessToken,
      body: { backup_code: user.backupCodes[0] },
    });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('Retry-After'));
    expect(limited.body.error.details).toEqual({ retry_after_seconds: retryAfter });
    // The limit applies across routes: TOTP in disable and login step 2 too.
    const disable = await t.call('POST', '/mfa/disable', {
      token: user.accessToken,
      body: { password: user.password, totp_code: t.codeFor(user.secret) },
    });
    expect(disable.status).toBe(429);
    // The valid backup code was not consumed by the refused request; after the window it works.
    t.clock.advance(15 * 60_000 + 1_000);
    const later = await t.call('POST', '/mfa/verify-backup-code', {
      token: user.accessToken,
      body: { backup_code: user.backupCodes[0] },
    });
    expect(later.status).toBe(200);
  });

  it('checks at most 5 codes in any 15 minutes: a window edge does not double the limit (issue 14 item 9)', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    const guess = async () =>
      (
        await t.call('POST', '/mfa/verify-backup-code', {
          token: user.accessToken,
          body: { backup_code: 'WRONGXXXX' },
        })
      ).body.error.code;
    // The attack that got 9 codes checked in 22 s with fixed windows: 1 guess, 4 just before the
    // window would have reset (14:51 later), 5 just after it (15:13).
    expect(await guess()).toBe('MFA_INVALID_CODE');
    t.clock.advance(14 * 60_000 + 51_000);
    const before: string[] = [];
    for (let i = 0; i < 4; i++) before.push(await guess());
    t.clock.advance(22_000);
    const after: string[] = [];
    for (let i = 0; i < 5; i++) after.push(await guess());
    const checked = [...before, ...after].filter((code) => code === 'MFA_INVALID_CODE');
    // The first guess left the window, so one more is checked; the other four wait.
    expect(checked).toHaveLength(5);
    expect(after.slice(1)).toEqual(Array.from({ length: 4 }, () => 'RATE_LIMITED'));
  });

  it('does not count requests refused before a secret is consulted', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    for (let i = 0; i < 10; i++) {
      expect(
        (await t.call('POST', '/mfa/verify-backup-code', { token: user.accessToken, body: {} }))
          .status,
      ).toBe(400);
      expect(
        (
          await t.call('POST', '/mfa/disable', {
            token: user.accessToken,
            body: { password: 'wrong', totp_code: '123456' },
          })
        ).status,
      ).toBe(403);
    }
    const ok = await t.call('POST', '/mfa/verify-backup-code', {
      token: user.accessToken,
      body: { backup_code: user.backupCodes[0] },
    });
    expect(ok.status).toBe(200);
  });

  it('counts malformed codes as attempts', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    const challenge = (
      await t.call('POST', '/auth/login', {
        body: { username: user.username, password: user.password },
      })
    ).body.error.details.challenge_id;
    for (let i = 0; i < 5; i++) {
      await t.call('POST', '/auth/login', {
        body: {
          username: user.username,
          password: user.password,
          challenge_id: challenge,
          mfa_code: '!',
        },
      });
    }
    const fresh = (
      await t.call('POST', '/auth/login', {
        body: { username: user.username, password: user.password },
      })
    ).body.error.details.challenge_id;
    const limited = await t.call('POST', '/auth/login', {
      body: {
        username: user.username,
        password: user.password,
        challenge_id: fresh,
        mfa_code: t.codeFor(user.secret),
      },
    });
    expect(limited.status).toBe(429);
  });

  it('limits per client address across users (configurable), by socket peer unless a proxy is trusted', async () => {
    const t = inProcessServer({ limits: { attemptsPerClient: 3 } });
    const users = [await t.userWithMfa('a'), await t.userWithMfa('b')];
    const guess = (
      user: (typeof users)[number],
      client: string,
      headers: Record<string, string> = {},
    ) =>
      t.call('POST', '/mfa/verify-backup-code', {
        token: user.accessToken,
        body: { backup_code: 'WRONGXXX' },
        client,
        headers,
      });
    await guess(users[0] as (typeof users)[number], '198.51.100.7');
    await guess(users[1] as (typeof users)[number], '198.51.100.7');
    await guess(users[0] as (typeof users)[number], '198.51.100.7');
    // A forged X-Forwarded-For does not help: without a trusted proxy the socket peer counts.
    const limited = await guess(users[1] as (typeof users)[number], '198.51.100.7', {
      'X-Forwarded-For': '203.0.113.9',
    });
    expect(limited.status).toBe(429);
    const elsewhere = await guess(users[1] as (typeof users)[number], '198.51.100.8');
    expect(elsewhere.body.error.code).toBe('MFA_INVALID_CODE');
  });

  it('does not count codes the per-user limit refused (never checked) against the address', async () => {
    const t = inProcessServer({ limits: { attemptsPerUser: 2, attemptsPerClient: 4 } });
    const [locked, other] = [await t.userWithMfa('locked'), await t.userWithMfa('other')];
    const guess = (user: typeof locked) =>
      t.call('POST', '/mfa/verify-backup-code', {
        token: user.accessToken,
        body: { backup_code: 'WRONGXXX' },
        client: '198.51.100.20',
      });
    // Two checked wrong codes, then ten refused by the user's own limit.
    for (let i = 0; i < 12; i++) await guess(locked);
    expect((await guess(locked)).status).toBe(429);
    // The address has spent 2 of its 4 failed attempts: another user there is still checked.
    expect((await guess(other)).body.error.code).toBe('MFA_INVALID_CODE');
    expect((await guess(other)).body.error.code).toBe('MFA_INVALID_CODE');
  });

  it('counts a concurrent burst past the address limit as exactly the attempts it checked', async () => {
    const t = inProcessServer({ limits: { attemptsPerUser: 100, attemptsPerClient: 10 } });
    const users = [await t.userWithMfa('burst1'), await t.userWithMfa('burst2')];
    const guess = (user: (typeof users)[number]) =>
      t.call('POST', '/mfa/verify-backup-code', {
        token: user.accessToken,
        body: { backup_code: 'WRONGXXX' },
        client: '198.51.100.30',
      });
    // 8 checked failures, then a burst of 30 at once: 2 more are checked, 28 refused unchecked.
    for (let i = 0; i < 8; i++) await guess(users[0] as (typeof users)[number]);
    const burst = await Promise.all(
      Array.from({ length: 30 }, () => guess(users[1] as (typeof users)[number])),
    );
    const codes = burst.map((reply) => reply.body.error.code);
    expect(codes.filter((code) => code === 'MFA_INVALID_CODE')).toHaveLength(2);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(28);
    // The refused 28 are not counted: the address stands at its limit, not 28 past it.
    const address = await t.store.get<{ events: number[] }>('attempts:client:198.51.100.30');
    expect(address?.value.events).toHaveLength(10);
  });

  it('takes the client address from X-Forwarded-For only through a trusted proxy', async () => {
    const t = inProcessServer({ limits: { attemptsPerClient: 2 }, trustProxy: 1 });
    const user = await t.userWithMfa();
    const via = (forwarded: string) =>
      t.call('POST', '/mfa/verify-backup-code', {
        token: user.accessToken,
        body: { backup_code: 'WRONGXXX' },
        client: '10.0.0.1',
        headers: { 'X-Forwarded-For': forwarded },
      });
    await via('203.0.113.1');
    await via('203.0.113.1');
    expect((await via('203.0.113.1')).status).toBe(429);
    // Another client behind the same proxy has its own count (the user count is not over 5 yet).
    expect((await via('203.0.113.2')).body.error.code).toBe('MFA_INVALID_CODE');
  });
});

import { inProcessServer } from '@twofold/testing';
import { describe, expect, it } from 'vitest';

const N = 50;

describe('atomic single use under 50 concurrent requests (spec §3 rule 2)', () => {
  it('accepts one backup code exactly once', async () => {
    const t = inProcessServer({ limits: { attemptsPerUser: 1000, attemptsPerClient: 1000 } });
    const user = await t.userWithMfa();
    const replies = await Promise.all(
      Array.from({ length: N }, () =>
        t.call('POST', '/mfa/verify-backup-code', {
          token: user.accessToken,
          body: { backup_code: user.backupCodes[0] },
        }),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.body.error?.code === 'MFA_INVALID_CODE')).toHaveLength(N - 1);
    const status = await t.call('GET', '/mfa/status', { token: user.accessToken });
    expect(status.body.data.backup_codes_remaining).toBe(9);
  });

  it('completes one login challenge exactly once, with concurrent valid TOTP and backup codes', async () => {
    const t = inProcessServer({ limits: { attemptsPerUser: 1000, attemptsPerClient: 1000 } });
    const user = await t.userWithMfa();
    const challenge = (
      await t.call('POST', '/auth/login', {
        body: { username: user.username, password: user.password },
      })
    ).body.error.details.challenge_id;
    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        t.call('POST', '/auth/login', {
          body: {
            username: user.username,
            password: user.password,
            challenge_id: challenge,
            mfa_code: i % 2 === 0 ? t.codeFor(user.secret) : user.backupCodes[i % 10],
          },
        }),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('accepts one TOTP code exactly once', async () => {
    const t = inProcessServer({ limits: { attemptsPerUser: 1000, attemptsPerClient: 1000 } });
    const user = await t.userWithMfa();
    const code = t.codeFor(user.secret);
    const replies = await Promise.all(
      Array.from({ length: N }, () =>
        t.call('POST', '/mfa/regenerate-backup-codes', {
          token: user.accessToken,
          body: { totp_code: code },
        }),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('verifies with one email token exactly once', async () => {
    const t = inProcessServer();
    const user = await t.newUser();
    const token = (await t.call('POST', '/auth/verify-email/send', { token: user.accessToken }))
      .body.data.verification_token;
    const replies = await Promise.all(
      Array.from({ length: N }, () => t.call('POST', '/auth/verify-email', { body: { token } })),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.body.error?.code === 'INVALID_TOKEN')).toHaveLength(N - 1);
  });

  it('lets at most the limit of concurrent guesses be checked (counted before checking)', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        t.call('POST', '/mfa/verify-backup-code', {
          token: user.accessToken,
          body: { backup_code: `GUESS${String(i).padStart(3, '0')}` },
        }),
      ),
    );
    expect(replies.filter((r) => r.body.error?.code === 'MFA_INVALID_CODE')).toHaveLength(5);
    expect(replies.filter((r) => r.status === 429)).toHaveLength(N - 5);
  });
});

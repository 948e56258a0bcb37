import { inProcessServer } from '@twofold/testing';
import { describe, expect, it } from 'vitest';

const N = 50;

describe('atomic single use under 50 concurrent requests (spec §3 rule 2)', () => {
  it('accepts one backup code exactly once: the others are MFA_INVALID_CODE, and one code is gone', async () => {
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

  it('verifies with one email token exactly once: the others are INVALID_TOKEN', async () => {
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

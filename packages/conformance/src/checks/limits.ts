import { type Check, ensure, show, TWOFOLD } from '../check.js';
import type { CheckContext, EnrolledUser } from '../context.js';

const guess = (t: CheckContext, user: EnrolledUser, code: string) =>
  t.call('POST', '/mfa/verify-backup-code', {
    token: user.accessToken,
    body: { backup_code: code },
  });

export const limitChecks: Check[] = [
  {
    id: 'limits.attempts.per-user-429-with-retry-after',
    clause: '§3 rule 3',
    profiles: TWOFOLD,
    spends: 5,
    async run(t) {
      const user = await t.enrolled();
      for (let i = 0; i < 5; i++)
        t.failure(await guess(t, user, `WRONG${i}XX`), 'MFA_INVALID_CODE', `wrong code ${i + 1}`);
      const limited = await guess(t, user, user.backupCodes[0] ?? '');
      t.failure(limited, 'RATE_LIMITED', 'a valid code after 5 failures');
      const after = Number(limited.headers.get('Retry-After'));
      ensure(
        Number.isInteger(after) && after > 0 && after <= 15 * 60,
        `Retry-After ${limited.headers.get('Retry-After')}`,
      );
      ensure(
        limited.body.error.details?.retry_after_seconds === after,
        `details ${show(limited.body.error.details)}`,
      );
    },
  },
  {
    id: 'limits.attempts.success-clears-count',
    clause: '§3 rule 3',
    profiles: TWOFOLD,
    spends: 6,
    async run(t) {
      const user = await t.enrolled();
      for (let i = 0; i < 4; i++) await guess(t, user, `WRONG${i}XX`);
      t.success(await guess(t, user, user.backupCodes[0] ?? ''), 'valid code after 4 failures');
      // Six failures in the window now: without the clearing, the sixth attempt is refused.
      for (let i = 0; i < 2; i++) {
        t.failure(await guess(t, user, `AGAIN${i}XX`), 'MFA_INVALID_CODE', `failure ${5 + i}`);
      }
      t.success(await guess(t, user, user.backupCodes[1] ?? ''), 'valid code after 6 failures');
    },
  },
  {
    id: 'limits.attempts.window-ends',
    clause: '§3 rule 3',
    profiles: TWOFOLD,
    spends: 6,
    async run(t) {
      const clock = t.clock;
      const user = await t.enrolled();
      for (let i = 0; i < 6; i++) await guess(t, user, `WRONG${i}XX`);
      clock.advance(15 * 60_000 + 1_000);
      t.success(await guess(t, user, user.backupCodes[0] ?? ''), 'after the 15-minute window');
    },
  },
  {
    id: 'limits.attempts.per-client-address',
    clause: '§3 rule 3',
    profiles: TWOFOLD,
    spends: 50,
    async run(t) {
      t.requireDistinctClients();
      // Enrol everyone first (successful attempts do not count against the address), then
      // 50 failures spread over users (4 each, under the per-user limit), all from one address.
      const users = [];
      for (let i = 0; i < 13; i++) users.push(await t.enrolled());
      const fresh = await t.enrolled();
      let failures = 0;
      for (const user of users) {
        for (let i = 0; i < 4 && failures < 50; i++, failures++) {
          t.failure(
            await guess(t, user, `WRONG${i}ZZ`),
            'MFA_INVALID_CODE',
            `failure ${failures + 1}`,
          );
        }
      }
      t.failure(
        await guess(t, fresh, fresh.backupCodes[0] ?? ''),
        'RATE_LIMITED',
        'attempt 51 from the same address',
      );
    },
  },
];

import { type Check, TWOFOLD } from '../check.js';

const N = 50;

export const concurrencyChecks: Check[] = [
  {
    id: 'concurrency.backup-code.single-use-under-50',
    clause: '§3 rule 2',
    profiles: TWOFOLD,
    spends: 4,
    async run(t) {
      const user = await t.enrolled();
      const replies = await Promise.all(
        Array.from({ length: N }, () =>
          t.call('POST', '/mfa/verify-backup-code', {
            token: user.accessToken,
            body: { backup_code: user.backupCodes[0] },
          }),
        ),
      );
      t.exactlyOneSucceeded(replies, 'concurrent uses');
    },
  },
  {
    id: 'concurrency.challenge.single-use-under-50',
    clause: '§3 rule 2, §2.1',
    profiles: TWOFOLD,
    spends: 4,
    async run(t) {
      const user = await t.enrolled();
      const challenge_id = await t.challenge(user);
      const replies = await Promise.all(
        Array.from({ length: N }, (_, i) =>
          t.completeLogin(user, challenge_id, user.backupCodes[i % 10]),
        ),
      );
      t.exactlyOneSucceeded(replies, 'concurrent completions');
    },
  },
  {
    id: 'concurrency.email-token.single-use-under-50',
    clause: '§3 rule 2, §4',
    profiles: TWOFOLD,
    async run(t) {
      const user = await t.user();
      const token = await t.emailToken(user);
      const replies = await Promise.all(
        Array.from({ length: N }, () => t.call('POST', '/auth/verify-email', { body: { token } })),
      );
      t.exactlyOneSucceeded(replies, 'concurrent verifications');
    },
  },
  {
    id: 'concurrency.totp.single-use-under-50',
    clause: '§3 rules 1 and 2',
    profiles: TWOFOLD,
    spends: 4,
    async run(t) {
      const user = await t.enrolled();
      const code = user.nextCode();
      const replies = await Promise.all(
        Array.from({ length: N }, () =>
          t.call('POST', '/mfa/regenerate-backup-codes', {
            token: user.accessToken,
            body: { totp_code: code },
          }),
        ),
      );
      t.exactlyOneSucceeded(replies, 'concurrent uses of one TOTP code');
    },
  },
];

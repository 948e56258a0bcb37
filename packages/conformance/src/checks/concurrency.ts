import { type Check, ensure, TWOFOLD } from '../check.js';
import type { Reply } from '../context.js';

const N = 50;

const successes = (replies: Reply[]) =>
  replies.filter((reply) => reply.body?.success === true).length;

export const concurrencyChecks: Check[] = [
  {
    id: 'concurrency.backup-code.single-use-under-50',
    clause: '§3 rule 2',
    profiles: TWOFOLD,
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
      ensure(successes(replies) === 1, `${successes(replies)} of ${N} concurrent uses succeeded`);
    },
  },
  {
    id: 'concurrency.challenge.single-use-under-50',
    clause: '§3 rule 2, §2.1',
    profiles: TWOFOLD,
    async run(t) {
      const user = await t.enrolled();
      const challenge_id = await t.challenge(user);
      const replies = await Promise.all(
        Array.from({ length: N }, (_, i) =>
          t.completeLogin(user, challenge_id, user.backupCodes[i % 10]),
        ),
      );
      ensure(
        successes(replies) === 1,
        `${successes(replies)} of ${N} concurrent completions succeeded`,
      );
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
      ensure(
        successes(replies) === 1,
        `${successes(replies)} of ${N} concurrent verifications succeeded`,
      );
    },
  },
  {
    id: 'concurrency.totp.single-use-under-50',
    clause: '§3 rules 1 and 2',
    profiles: TWOFOLD,
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
      ensure(
        successes(replies) === 1,
        `${successes(replies)} of ${N} concurrent uses of one TOTP code succeeded`,
      );
    },
  },
];

import { BOTH, type Check, ensure, show, TWOFOLD } from '../check.js';

export const loginChallengeChecks: Check[] = [
  {
    id: 'login.challenge.mfa-required-details',
    clause: '§2.1 step 1',
    profiles: BOTH,
    async run(t) {
      const user = await t.enrolled();
      const reply = await t.call('POST', '/auth/login', {
        body: { username: user.username, password: user.password },
      });
      t.failure(reply, 'MFA_REQUIRED', 'step 1', 401);
      const d = reply.body.error.details;
      ensure(
        typeof d?.challenge_id === 'string' && d.mfa_type === 'totp_or_backup_code',
        `details ${show(d)}`,
      );
      ensure(
        !Number.isNaN(Date.parse(d.expires_at)) && typeof d.message === 'string',
        `details ${show(d)}`,
      );
      if (t.profile === 'twofold') {
        ensure(
          Array.isArray(d.methods) &&
            d.methods.includes('totp') &&
            d.methods.includes('backup_code'),
          `methods ${show(d.methods)}`,
        );
        const ttl = Date.parse(d.expires_at) - t.now();
        ensure(
          ttl > 4 * 60_000 && ttl <= 5 * 60_000 + 1_000,
          `expires_at should be 5 minutes ahead, is ${Math.round(ttl / 1000)} s`,
        );
      }
    },
  },
  {
    id: 'login.challenge.completes-with-totp',
    clause: '§2.1 step 2',
    profiles: BOTH,
    async run(t) {
      const user = await t.enrolled();
      const challenge_id = await t.challenge(user);
      const reply = await t.completeLogin(user, challenge_id, user.nextCode());
      ensure(typeof t.success(reply, 'step 2').access_token === 'string', 'no access_token');
    },
  },
  {
    id: 'login.challenge.completes-with-backup-code',
    clause: '§2.1 step 2',
    profiles: BOTH,
    async run(t) {
      const user = await t.enrolled();
      const challenge_id = await t.challenge(user);
      t.success(await t.completeLogin(user, challenge_id, user.backupCodes[0]), 'step 2');
    },
  },
  {
    id: 'login.challenge.wrong-code',
    clause: '§2.1 step 2',
    profiles: BOTH,
    spends: 1,
    async run(t) {
      const user = await t.enrolled();
      const challenge_id = await t.challenge(user);
      const reply = await t.completeLogin(user, challenge_id, 'WRONGCOD');
      t.failure(reply, 'MFA_INVALID_CODE', 'wrong code', 500);
      ensure(
        reply.body.error.message === 'Invalid or expired MFA challenge or code',
        `message ${reply.body.error.message}`,
      );
    },
  },
  {
    id: 'login.challenge.single-use',
    clause: '§2.1 Twofold rule',
    profiles: TWOFOLD,
    async run(t) {
      const user = await t.enrolled();
      const challenge_id = await t.challenge(user);
      t.success(await t.completeLogin(user, challenge_id, user.backupCodes[0]), 'first use');
      t.failure(
        await t.completeLogin(user, challenge_id, user.backupCodes[1]),
        'MFA_INVALID_CODE',
        'second use',
      );
    },
  },
  {
    id: 'login.challenge.bound-to-user',
    clause: '§2.1 Twofold rule',
    profiles: TWOFOLD,
    async run(t) {
      const owner = await t.enrolled();
      const other = await t.enrolled();
      const challenge_id = await t.challenge(owner);
      for (let i = 0; i < 6; i++) {
        const foreign = await t.completeLogin(other, challenge_id, other.backupCodes[0]);
        t.failure(foreign, 'MFA_INVALID_CODE', 'another user with the challenge');
      }
      // Neither consumed nor counted: the owner still completes it.
      t.success(await t.completeLogin(owner, challenge_id, owner.backupCodes[0]), 'owner');
    },
  },
  {
    id: 'login.challenge.burnt-after-5-wrong-codes',
    clause: '§2.1 Twofold rule',
    profiles: TWOFOLD,
    spends: 9,
    async run(t) {
      const user = await t.enrolled();
      const challenge_id = await t.challenge(user);
      for (let i = 0; i < 4; i++) await t.completeLogin(user, challenge_id, `WRONG${i}XX`);
      // 4 wrong codes leave it alive; a success clears the user's attempt count.
      t.success(
        await t.completeLogin(user, challenge_id, user.backupCodes[0]),
        'after 4 wrong codes',
      );
      const burnt = await t.challenge(user);
      for (let i = 0; i < 5; i++) await t.completeLogin(user, burnt, `WRONG${i}YY`);
      const late = await t.completeLogin(user, burnt, user.backupCodes[1]);
      ensure(late.body?.success === false, 'a challenge with 5 wrong codes must be burnt');
    },
  },
  {
    id: 'login.challenge.expires-after-5-minutes',
    clause: '§2.1 Twofold rule',
    profiles: TWOFOLD,
    async run(t) {
      const clock = t.clock;
      const user = await t.enrolled();
      const challenge_id = await t.challenge(user);
      clock.advance(5 * 60_000 + 1_000);
      const reply = await t.completeLogin(user, challenge_id, user.backupCodes[0]);
      t.failure(reply, 'MFA_INVALID_CODE', 'expired challenge');
    },
  },
];

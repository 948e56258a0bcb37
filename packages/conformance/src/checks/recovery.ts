import { type Check, ensure, jsonEqual, show, TWOFOLD } from '../check.js';

// Spec §6 rules 1–3 (Twofold only: the crate rejects typed separators, says no reason, and
// has no recovery path). The user-limit case of rule 2 spends five wrong codes and is proved by
// the server's own tests, so the suite's per-address budget stays for the checks that need it.

const spaced = (code: string) => `${code.slice(0, 3)} ${code.slice(3)}`;

export const recoveryChecks: Check[] = [
  {
    id: 'login.challenge.totp-as-typed',
    clause: '§6 rule 1',
    profiles: TWOFOLD,
    async run(t) {
      const user = await t.enrolled();
      const challenge_id = await t.challenge(user);
      const reply = await t.completeLogin(user, challenge_id, spaced(user.nextCode()));
      t.success(reply, 'step 2 with "123 456"');
    },
  },
  {
    id: 'login.challenge.refusal-reason',
    clause: '§6 rule 2',
    profiles: TWOFOLD,
    spends: 1,
    async run(t) {
      const user = await t.enrolled();
      const challenge_id = await t.challenge(user);
      const reply = await t.completeLogin(user, challenge_id, 'WRONGCOD');
      t.failure(reply, 'MFA_INVALID_CODE', 'wrong code');
      const details = reply.body.error.details;
      ensure(
        jsonEqual(details, { reason: 'wrong_code', attempts_remaining: 4 }),
        `details ${show(details)}`,
      );
    },
  },
  {
    id: 'login.challenge.expires-with-reason',
    clause: '§6 rule 2',
    profiles: TWOFOLD,
    async run(t) {
      const user = await t.enrolled();
      const challenge_id = await t.challenge(user);
      t.clock.advance(5 * 60_000 + 1_000);
      const reply = await t.completeLogin(user, challenge_id, user.backupCodes[0]);
      t.failure(reply, 'MFA_INVALID_CODE', 'expired challenge');
      const details = reply.body.error.details;
      ensure(jsonEqual(details, { reason: 'expired' }), `details ${show(details)}`);
    },
  },
  {
    id: 'mfa.disable.backup-code',
    clause: '§6 rule 3',
    profiles: TWOFOLD,
    async run(t) {
      const user = await t.enrolled();
      const disabled = await t.call('POST', '/mfa/disable', {
        token: user.accessToken,
        body: { password: user.password, backup_code: user.backupCodes[0] },
      });
      t.success(disabled, 'disable with a backup code');
      const status = t.success(
        await t.call('GET', '/mfa/status', { token: user.accessToken }),
        'status',
      );
      ensure(status?.enabled === false, `status ${show(status)}`);
    },
  },
  {
    id: 'mfa.replace.setup-with-proof',
    clause: '§6 rule 3',
    profiles: TWOFOLD,
    spends: 1,
    async run(t) {
      const user = await t.enrolled();
      const bare = await t.call('POST', '/mfa/setup', { token: user.accessToken });
      t.failure(bare, 'MFA_ALREADY_ENABLED', 'setup without a proof');
      const setup = await t.call('POST', '/mfa/setup', {
        token: user.accessToken,
        body: { password: user.password, backup_code: user.backupCodes[0] },
      });
      const data = t.success(setup, 'setup with password and backup code');
      ensure(typeof data?.secret === 'string' && data.secret !== user.secret, 'no new secret');
      // Until the new secret is verified, the old one still completes a login.
      const old = await t.completeLogin(user, await t.challenge(user), user.nextCode());
      t.success(old, 'login with the old secret while the new one is pending');
      const verified = await t.call('POST', '/mfa/verify', {
        token: user.accessToken,
        body: { totp_code: t.code(data.secret) },
      });
      t.success(verified, 'verify the new secret');
      const oldCode = await t.completeLogin(user, await t.challenge(user), user.backupCodes[1]);
      t.failure(oldCode, 'MFA_INVALID_CODE', 'an old backup code after the switch');
      const fresh = await t.completeLogin(user, await t.challenge(user), data.backup_codes[0]);
      t.success(fresh, 'login with a new backup code');
    },
  },
];

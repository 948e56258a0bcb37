import { BACKUP_CODES } from '@twofold/contract';
import { BOTH, type Check, ensure, jsonEqual, show, TWOFOLD } from '../check.js';

const CODE = new RegExp(`^[${BACKUP_CODES.alphabet}]{${BACKUP_CODES.length}}$`);

export const mfaChecks: Check[] = [
  {
    id: 'mfa.setup.success-shape',
    clause: '§3 setup',
    profiles: BOTH,
    async run(t) {
      const user = await t.user();
      const data = t.success(await t.setup(user), 'setup');
      ensure(
        /^otpauth:\/\/totp\//.test(data.qr_code) && data.qr_code.includes(`secret=${data.secret}`),
        `qr_code ${data.qr_code}`,
      );
      ensure(/^[A-Z2-7]{32}$/.test(data.secret), `secret ${data.secret}`);
      ensure(
        Array.isArray(data.backup_codes) && data.backup_codes.length === 10,
        `backup_codes ${show(data.backup_codes)}`,
      );
      ensure(
        data.backup_codes.every((code: string) => CODE.test(code)),
        `backup code format ${show(data.backup_codes)}`,
      );
    },
  },
  {
    id: 'mfa.setup.refused-while-enabled',
    clause: '§3 rule 4',
    profiles: TWOFOLD,
    async run(t) {
      const user = await t.enrolled();
      t.failure(
        await t.call('POST', '/mfa/setup', { token: user.accessToken }),
        'MFA_ALREADY_ENABLED',
        'setup while enabled',
      );
    },
  },
  {
    id: 'mfa.verify.validates-before-auth',
    clause: '§3 verify, §1 order of checks',
    profiles: BOTH,
    async run(t) {
      const empty = await t.call('POST', '/mfa/verify', { body: {} });
      t.failure(empty, 'VALIDATION_ERROR', 'empty code, no token', 400);
      ensure(
        empty.body.error.message === 'TOTP code is required',
        `message ${empty.body.error.message}`,
      );
      const short = await t.call('POST', '/mfa/verify', { body: { totp_code: '12345' } });
      t.failure(short, 'VALIDATION_ERROR', '5 digits, no token', 400);
      ensure(
        short.body.error.message === 'TOTP code must be 6 digits',
        `message ${short.body.error.message}`,
      );
    },
  },
  {
    id: 'mfa.verify.not-pending',
    clause: '§3 verify',
    profiles: BOTH,
    async run(t) {
      const user = await t.user();
      const reply = await t.call('POST', '/mfa/verify', {
        token: user.accessToken,
        body: { totp_code: '123456' },
      });
      t.failure(reply, 'MFA_NOT_PENDING', 'verify before setup', 500);
      ensure(
        reply.body.error.message === 'No pending MFA setup found. Call /mfa/setup first.',
        `message ${reply.body.error.message}`,
      );
    },
  },
  {
    id: 'mfa.verify.wrong-code',
    clause: '§3 verify',
    profiles: BOTH,
    spends: 1,
    async run(t) {
      const user = await t.user();
      const setup = t.success(await t.setup(user), 'setup');
      const reply = await t.call('POST', '/mfa/verify', {
        token: user.accessToken,
        body: { totp_code: t.code(setup.secret, 10) },
      });
      t.failure(reply, 'MFA_INVALID_CODE', 'code from 5 minutes ahead', 500);
      ensure(
        reply.body.error.message === 'Invalid TOTP code',
        `message ${reply.body.error.message}`,
      );
    },
  },
  {
    id: 'mfa.verify.enables-mfa',
    clause: '§3 verify, status',
    profiles: BOTH,
    async run(t) {
      const user = await t.user();
      const before = t.success(
        await t.call('GET', '/mfa/status', { token: user.accessToken }),
        'status',
      );
      ensure(
        jsonEqual(before, { enabled: false, methods: [], backup_codes_remaining: 0 }),
        `status before ${show(before)}`,
      );
      const setup = t.success(await t.setup(user), 'setup');
      const verified = await t.call('POST', '/mfa/verify', {
        token: user.accessToken,
        body: { totp_code: t.code(setup.secret) },
      });
      t.success(verified, 'verify');
      ensure(
        verified.body.message === 'MFA enabled successfully',
        `message ${verified.body.message}`,
      );
      const after = t.success(
        await t.call('GET', '/mfa/status', { token: user.accessToken }),
        'status',
      );
      ensure(
        after.enabled === true &&
          after.methods.includes('totp') &&
          after.backup_codes_remaining === 10,
        `status after ${show(after)}`,
      );
    },
  },
  {
    id: 'mfa.verify.replay-rejected',
    clause: '§3 rule 1',
    profiles: TWOFOLD,
    spends: 1,
    async run(t) {
      const user = await t.user();
      const setup = t.success(await t.setup(user), 'setup');
      const code = t.code(setup.secret);
      t.success(
        await t.call('POST', '/mfa/verify', { token: user.accessToken, body: { totp_code: code } }),
        'verify',
      );
      const replay = await t.call('POST', '/mfa/disable', {
        token: user.accessToken,
        body: { password: user.password, totp_code: code },
      });
      t.failure(replay, 'MFA_INVALID_CODE', 'the enrolment code used again');
    },
  },
  {
    id: 'mfa.login.replay-rejected',
    clause: '§3 rule 1',
    profiles: TWOFOLD,
    spends: 1,
    async run(t) {
      const user = await t.enrolled();
      const code = user.nextCode();
      t.success(await t.completeLogin(user, await t.challenge(user), code), 'first login');
      t.failure(
        await t.completeLogin(user, await t.challenge(user), code),
        'MFA_INVALID_CODE',
        'same code again',
      );
    },
  },
  {
    id: 'mfa.disable.fields-required',
    clause: '§3 disable',
    profiles: BOTH,
    async run(t) {
      const reply = await t.call('POST', '/mfa/disable', { body: { password: 'x' } });
      t.failure(reply, 'VALIDATION_ERROR', 'no code', 400);
      ensure(
        reply.body.error.message === 'Password and TOTP code are required',
        `message ${reply.body.error.message}`,
      );
    },
  },
  {
    id: 'mfa.disable.wrong-password-consumes-nothing',
    clause: '§3 disable',
    profiles: BOTH,
    async run(t) {
      const user = await t.enrolled();
      const code = user.nextCode();
      const wrong = await t.call('POST', '/mfa/disable', {
        token: user.accessToken,
        body: { password: 'not the password', totp_code: code },
      });
      t.failure(wrong, 'MFA_UNAUTHORIZED', 'wrong password', 500);
      ensure(
        wrong.body.error.message === 'Incorrect password',
        `message ${wrong.body.error.message}`,
      );
      const done = await t.call('POST', '/mfa/disable', {
        token: user.accessToken,
        body: { password: user.password, totp_code: code },
      });
      t.success(done, 'disable with the same code');
      ensure(done.body.message === 'MFA disabled successfully', `message ${done.body.message}`);
      const status = t.success(
        await t.call('GET', '/mfa/status', { token: user.accessToken }),
        'status',
      );
      ensure(status.enabled === false, `status ${show(status)}`);
    },
  },
  {
    id: 'mfa.disable.not-enabled',
    clause: '§3 disable',
    profiles: BOTH,
    async run(t) {
      const user = await t.user();
      const reply = await t.call('POST', '/mfa/disable', {
        token: user.accessToken,
        body: { password: user.password, totp_code: '123456' },
      });
      t.failure(reply, 'MFA_NOT_ENABLED', 'disable without MFA', 500);
    },
  },
  {
    id: 'mfa.regenerate.bare-array',
    clause: '§3 regenerate',
    profiles: BOTH,
    spends: 1,
    async run(t) {
      const user = await t.enrolled();
      const data = t.success(
        await t.call('POST', '/mfa/regenerate-backup-codes', {
          token: user.accessToken,
          body: { password: user.password },
        }),
        'regenerate',
      );
      ensure(
        Array.isArray(data) && data.length === 10 && data.every((code: string) => CODE.test(code)),
        `data ${show(data)}`,
      );
      t.failure(
        await t.call('POST', '/mfa/verify-backup-code', {
          token: user.accessToken,
          body: { backup_code: user.backupCodes[0] },
        }),
        'MFA_INVALID_CODE',
        'an old code',
        500,
      );
    },
  },
  {
    id: 'mfa.regenerate.requires-step-up',
    clause: '§3 rule 4',
    profiles: TWOFOLD,
    async run(t) {
      const user = await t.enrolled();
      const bare = await t.call('POST', '/mfa/regenerate-backup-codes', {
        token: user.accessToken,
      });
      ensure(
        bare.body?.success === false,
        `regenerating without a proof must be refused, got ${bare.status}`,
      );
      t.failure(
        await t.call('POST', '/mfa/regenerate-backup-codes', {
          token: user.accessToken,
          body: { password: 'wrong' },
        }),
        'MFA_UNAUTHORIZED',
        'wrong password',
      );
    },
  },
  {
    id: 'mfa.regenerate.not-enabled',
    clause: '§3 regenerate',
    profiles: BOTH,
    async run(t) {
      const user = await t.user();
      t.failure(
        await t.call('POST', '/mfa/regenerate-backup-codes', {
          token: user.accessToken,
          body: { password: user.password },
        }),
        'MFA_NOT_ENABLED',
        'without MFA',
        500,
      );
    },
  },
  {
    id: 'mfa.backup-code.consumed-once',
    clause: '§3 verify-backup-code',
    profiles: BOTH,
    spends: 1,
    async run(t) {
      const user = await t.enrolled();
      const ok = await t.call('POST', '/mfa/verify-backup-code', {
        token: user.accessToken,
        body: { backup_code: user.backupCodes[0] },
      });
      t.success(ok, 'first use');
      ensure(ok.body.message === 'Backup code verified', `message ${ok.body.message}`);
      const again = await t.call('POST', '/mfa/verify-backup-code', {
        token: user.accessToken,
        body: { backup_code: user.backupCodes[0] },
      });
      t.failure(again, 'MFA_INVALID_CODE', 'second use', 500);
      ensure(
        again.body.error.message === 'Invalid or already-used backup code',
        `message ${again.body.error.message}`,
      );
      const status = t.success(
        await t.call('GET', '/mfa/status', { token: user.accessToken }),
        'status',
      );
      ensure(status.backup_codes_remaining === 9, `remaining ${status.backup_codes_remaining}`);
    },
  },
  {
    id: 'mfa.backup-code.case-and-separators',
    clause: '§3 rule 6',
    profiles: TWOFOLD,
    async run(t) {
      const user = await t.enrolled();
      const code = user.backupCodes[0] ?? '';
      const typed = ` ${code.slice(0, 4).toLowerCase()}-${code.slice(4)} `;
      t.success(
        await t.call('POST', '/mfa/verify-backup-code', {
          token: user.accessToken,
          body: { backup_code: typed },
        }),
        typed,
      );
    },
  },
  {
    id: 'mfa.backup-code.required',
    clause: '§3 verify-backup-code',
    profiles: BOTH,
    async run(t) {
      const reply = await t.call('POST', '/mfa/verify-backup-code', { body: { backup_code: '' } });
      t.failure(reply, 'VALIDATION_ERROR', 'empty code', 400);
      ensure(
        reply.body.error.message === 'Backup code is required',
        `message ${reply.body.error.message}`,
      );
    },
  },
  {
    id: 'mfa.backup-code.none-stored',
    clause: '§3 verify-backup-code',
    profiles: BOTH,
    async run(t) {
      const user = await t.user();
      const reply = await t.call('POST', '/mfa/verify-backup-code', {
        token: user.accessToken,
        body: { backup_code: 'ABCDEFGH' },
      });
      t.failure(reply, 'MFA_ERROR', 'no codes', 500);
      ensure(
        reply.body.error.message === 'No backup codes found for this account',
        `message ${reply.body.error.message}`,
      );
    },
  },
  {
    id: 'mfa.pending.second-setup-replaces-pair',
    clause: '§3 rule 7',
    profiles: TWOFOLD,
    spends: 2,
    async run(t) {
      const user = await t.user();
      const first = t.success(await t.setup(user), 'first setup');
      const second = t.success(await t.setup(user), 'second setup');
      t.failure(
        await t.call('POST', '/mfa/verify', {
          token: user.accessToken,
          body: { totp_code: t.code(first.secret) },
        }),
        'MFA_INVALID_CODE',
        'the replaced secret',
      );
      t.success(
        await t.call('POST', '/mfa/verify', {
          token: user.accessToken,
          body: { totp_code: t.code(second.secret) },
        }),
        'the new secret',
      );
      t.failure(
        await t.call('POST', '/mfa/verify-backup-code', {
          token: user.accessToken,
          body: { backup_code: first.backup_codes[0] },
        }),
        'MFA_INVALID_CODE',
        'a replaced code',
      );
    },
  },
  {
    id: 'mfa.pending.expires-after-10-minutes',
    clause: '§3 setup',
    profiles: TWOFOLD,
    async run(t) {
      const clock = t.clock;
      const user = await t.user();
      const setup = t.success(await t.setup(user), 'setup');
      clock.advance(10 * 60_000 + 1_000);
      t.failure(
        await t.call('POST', '/mfa/verify', {
          token: user.accessToken,
          body: { totp_code: t.code(setup.secret) },
        }),
        'MFA_NOT_PENDING',
        'after 10 minutes',
      );
    },
  },
];

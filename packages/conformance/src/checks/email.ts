import { BOTH, type Check, ensure, show, TWOFOLD } from '../check.js';

export const emailChecks: Check[] = [
  {
    id: 'email.send.success-shape',
    clause: '§4 send',
    profiles: BOTH,
    async run(t) {
      const user = await t.user();
      const data = t.success(
        await t.call('POST', '/auth/verify-email/send', { token: user.accessToken }),
        'send',
      );
      ensure(
        data.sent === true &&
          typeof data.verification_token === 'string' &&
          typeof data.message === 'string',
        `data ${show(data)}`,
      );
      ensure(
        data.verification_token === '' || /^[A-Za-z0-9_-]{43}$/.test(data.verification_token),
        `token format ${data.verification_token}`,
      );
    },
  },
  {
    id: 'email.verify.success-and-single-use',
    clause: '§4 verify-email',
    profiles: BOTH,
    async run(t) {
      const user = await t.user();
      const token = await t.emailToken(user);
      const data = t.success(
        await t.call('POST', '/auth/verify-email', { body: { token } }),
        'verify',
      );
      ensure(
        data.verified === true &&
          data.user_id === user.id &&
          data.message === 'Email address verified successfully',
        `data ${show(data)}`,
      );
      t.failure(
        await t.call('POST', '/auth/verify-email', { body: { token } }),
        'INVALID_TOKEN',
        'second use',
        401,
      );
      const again = t.success(
        await t.call('POST', '/auth/verify-email/send', { token: user.accessToken }),
        'send after verification',
      );
      ensure(
        again.sent === false &&
          again.verification_token === '' &&
          again.message === 'Email is already verified',
        `data ${show(again)}`,
      );
    },
  },
  {
    id: 'email.verify.required-and-invalid',
    clause: '§4 verify-email',
    profiles: BOTH,
    async run(t) {
      const empty = await t.call('POST', '/auth/verify-email', { body: { token: '' } });
      t.failure(empty, 'VALIDATION_ERROR', 'empty token', 400);
      ensure(
        empty.body.error.message === 'Verification token is required',
        `message ${empty.body.error.message}`,
      );
      const bad = await t.call('POST', '/auth/verify-email', {
        body: { token: 'no-such-token-no-such-token-no-such-token00' },
      });
      t.failure(bad, 'INVALID_TOKEN', 'unknown token', 401);
      ensure(
        bad.body.error.message === 'Verification token is invalid or expired',
        `message ${bad.body.error.message}`,
      );
    },
  },
  {
    id: 'email.token.newer-invalidates-older',
    clause: '§4 rule 3',
    profiles: TWOFOLD,
    async run(t) {
      const user = await t.user();
      const first = await t.emailToken(user);
      const second = await t.emailToken(user);
      t.failure(
        await t.call('POST', '/auth/verify-email', { body: { token: first } }),
        'INVALID_TOKEN',
        'the older token',
      );
      t.success(
        await t.call('POST', '/auth/verify-email', { body: { token: second } }),
        'the newer token',
      );
    },
  },
  {
    id: 'email.token.expires-after-24-hours',
    clause: '§4 token',
    profiles: TWOFOLD,
    async run(t) {
      const clock = t.clock;
      const user = await t.user();
      const token = await t.emailToken(user);
      clock.advance(24 * 60 * 60_000 + 1_000);
      t.failure(
        await t.call('POST', '/auth/verify-email', { body: { token } }),
        'INVALID_TOKEN',
        'after 24 h',
      );
    },
  },
  {
    id: 'email.resend.required',
    clause: '§4 resend',
    profiles: BOTH,
    async run(t) {
      const reply = await t.call('POST', '/auth/resend-verification', { body: {} });
      t.failure(reply, 'VALIDATION_ERROR', 'no email', 400);
      ensure(
        reply.body.error.message === 'Email address is required',
        `message ${reply.body.error.message}`,
      );
    },
  },
  {
    id: 'email.resend.no-enumeration',
    clause: '§4 rule 2',
    profiles: TWOFOLD,
    async run(t) {
      const unverified = await t.user();
      const verified = await t.user();
      t.success(
        await t.call('POST', '/auth/verify-email', {
          body: { token: await t.emailToken(verified) },
        }),
        'verify',
      );
      const answers = [];
      for (const email of [
        `nobody_${unverified.username}@conformance.example`,
        verified.email,
        unverified.email,
      ]) {
        const reply = await t.call('POST', '/auth/resend-verification', { body: { email } });
        answers.push(`${reply.status} ${reply.text}`);
      }
      ensure(
        answers[0] === answers[1] && answers[1] === answers[2],
        `answers differ: ${show(answers)}`,
      );
      ensure(answers[0]?.startsWith('200 '), `resend must succeed: ${answers[0]}`);
    },
  },
  {
    id: 'email.resend.rate-limited-per-address',
    clause: '§4 rule 4',
    profiles: TWOFOLD,
    async run(t) {
      const email = `limited_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@conformance.example`;
      t.success(
        await t.call('POST', '/auth/resend-verification', { body: { email } }),
        'first resend',
      );
      const second = await t.call('POST', '/auth/resend-verification', {
        body: { email: email.toUpperCase() },
      });
      t.failure(second, 'RATE_LIMITED', 'second resend within a minute (any case)');
      const after = Number(second.headers.get('Retry-After'));
      ensure(
        Number.isInteger(after) && after > 0 && after <= 60,
        `Retry-After ${second.headers.get('Retry-After')}`,
      );
    },
  },
];

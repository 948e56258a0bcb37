import { LIMITS } from '@twofold/contract';
import { inProcessServer } from '@twofold/testing';
import { describe, expect, it } from 'vitest';

describe('email verification (spec §4)', () => {
  it('sends with the development message, puts the email in the outbox (any case), logs it, and verifies', async () => {
    const t = inProcessServer();
    const user = await t.newUser();
    const sent = await t.call('POST', '/auth/verify-email/send', { token: user.accessToken });
    expect(sent.status).toBe(200);
    expect(sent.body.data).toEqual({
      sent: true,
      verification_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      message: 'Verification token generated. Use POST /auth/verify-email to confirm.',
    });
    const token = sent.body.data.verification_token;
    const outbox = await t.call(
      'GET',
      `/dev/outbox?to=${encodeURIComponent(user.email.toUpperCase())}`,
    );
    expect(outbox.body.data).toHaveLength(1);
    expect(outbox.body.data[0]).toEqual({
      to: user.email,
      subject: expect.stringContaining('Confirm your email'),
      text: expect.stringContaining(token),
      link: `http://127.0.0.1:8787/verify-email?token=${token}`,
      token,
      sent_at: new Date(t.clock.now()).toISOString(),
    });
    expect(t.logs.some((line) => line.includes(token))).toBe(true);
    const verified = await t.call('POST', '/auth/verify-email', { body: { token } });
    expect(verified.body).toEqual({
      success: true,
      data: { verified: true, user_id: user.id, message: 'Email address verified successfully' },
    });
  });

  it('refuses a short unknown, a superseded and an expired token alike: 401 INVALID_TOKEN, one message', async () => {
    const t = inProcessServer();
    const invalid = { code: 'INVALID_TOKEN', message: 'Verification token is invalid or expired' };
    expect(
      (await t.call('POST', '/auth/verify-email', { body: { token: 'made-up' } })).body.error,
    ).toEqual(invalid);
    const user = await t.newUser();
    const first = (await t.call('POST', '/auth/verify-email/send', { token: user.accessToken }))
      .body.data.verification_token;
    const second = (await t.call('POST', '/auth/verify-email/send', { token: user.accessToken }))
      .body.data.verification_token;
    expect(
      (await t.call('POST', '/auth/verify-email', { body: { token: first } })).body.error,
    ).toEqual(invalid);
    t.clock.advance(24 * 60 * 60_000 + 1_000);
    const expired = await t.call('POST', '/auth/verify-email', { body: { token: second } });
    expect(expired.status).toBe(401);
    expect(expired.body.error).toEqual(invalid);
  });

  it('answers resend identically for unknown, verified and unverified addresses (no enumeration)', async () => {
    const t = inProcessServer();
    const unverified = await t.newUser();
    const verified = await t.newUser();
    const token = (await t.call('POST', '/auth/verify-email/send', { token: verified.accessToken }))
      .body.data.verification_token;
    await t.call('POST', '/auth/verify-email', { body: { token } });
    const replies = [];
    for (const email of ['nobody@example.com', verified.email, unverified.email]) {
      const reply = await t.call('POST', '/auth/resend-verification', { body: { email } });
      replies.push({ status: reply.status, text: reply.text, headers: [...reply.headers].sort() });
    }
    expect(replies[1]).toEqual(replies[0]);
    expect(replies[2]).toEqual(replies[0]);
    expect(JSON.parse(replies[0]?.text ?? '')).toEqual({
      success: true,
      data: {
        sent: true,
        verification_token: '',
        message: 'If an account with that email exists, a verification token has been generated.',
      },
    });
    // Only the unverified account got an email, and it carries a working token.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await t.call('GET', '/dev/outbox?to=nobody@example.com')).body.data).toEqual([]);
    const mail = (await t.call('GET', `/dev/outbox?to=${unverified.email}`)).body.data;
    expect(mail).toHaveLength(1);
    expect(
      (await t.call('POST', '/auth/verify-email', { body: { token: mail[0].token } })).status,
    ).toBe(200);
  });

  it('limits resend per address, trimmed and in any case: 1 per minute and 5 per day, for unknown addresses too', async () => {
    const t = inProcessServer();
    const resend = (email: string) =>
      t.call('POST', '/auth/resend-verification', { body: { email } });
    expect((await resend('Someone@Example.com')).status).toBe(200);
    const tooSoon = await resend('someone@example.com ');
    expect(tooSoon.status).toBe(429);
    for (let i = 0; i < 4; i++) {
      t.clock.advance(61_000);
      expect((await resend('someone@example.com')).status).toBe(200);
    }
    t.clock.advance(61_000);
    const daily = await resend('someone@example.com');
    expect(daily.status).toBe(429);
    expect(Number(daily.headers.get('Retry-After'))).toBeGreaterThan(60);
    expect((await resend('other@example.com')).status).toBe(200);
  });

  it('limits sends per user (3 a minute, 10 a day): a token is no mail cannon', async () => {
    const t = inProcessServer();
    const user = await t.newUser();
    const send = () => t.call('POST', '/auth/verify-email/send', { token: user.accessToken });
    for (let i = 0; i < LIMITS.sendPerMinute; i++) expect((await send()).status).toBe(200);
    const refused = await send();
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    const deliveries = t.logs.filter((line) => line.includes(user.email)).length;
    for (let minute = 1; minute < 10; minute++) {
      t.clock.advance(60_000);
      await send();
    }
    // 10 a day in all, whatever the minutes.
    expect(t.logs.filter((line) => line.includes(user.email)).length - deliveries).toBe(
      LIMITS.sendPerDay - LIMITS.sendPerMinute,
    );
  });

  it('limits resend per client address over every mailbox (20 an hour): counters stay bounded', async () => {
    const t = inProcessServer();
    const ask = (i: number) =>
      t.call('POST', '/auth/resend-verification', {
        body: { email: `nobody${i}@example.test` },
        client: '198.51.100.23',
      });
    for (let i = 0; i < LIMITS.resendPerClientPerHour; i++) expect((await ask(i)).status).toBe(200);
    expect((await ask(999)).body.error.code).toBe('RATE_LIMITED');
    // Another address is not affected.
    const elsewhere = await t.call('POST', '/auth/resend-verification', {
      body: { email: 'nobody999@example.test' },
      client: '203.0.113.5',
    });
    expect(elsewhere.status).toBe(200);
  });

  it('does not expose tokens in production or when configured off', async () => {
    const t = inProcessServer({ exposeVerificationTokens: false });
    const user = await t.newUser();
    const sent = await t.call('POST', '/auth/verify-email/send', { token: user.accessToken });
    expect(sent.body.data.verification_token).toBe('');
    const mail = (await t.call('GET', `/dev/outbox?to=${user.email}`)).body.data;
    expect(
      (await t.call('POST', '/auth/verify-email', { body: { token: mail[0].token } })).status,
    ).toBe(200);
  });

  it('sends on registration only when configured', async () => {
    const off = inProcessServer();
    const quiet = await off.newUser();
    expect((await off.call('GET', `/dev/outbox?to=${quiet.email}`)).body.data).toEqual([]);
    const on = inProcessServer({ sendVerificationOnRegister: true });
    const greeted = await on.newUser();
    expect((await on.call('GET', `/dev/outbox?to=${greeted.email}`)).body.data).toHaveLength(1);
  });

  it('requires authentication to send', async () => {
    const t = inProcessServer();
    const reply = await t.call('POST', '/auth/verify-email/send');
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe('UNAUTHORIZED');
  });
});

import { createServer } from 'node:net';
import { MESSAGES } from '@twofold/contract';
import { inProcessServer } from '@twofold/testing';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { composeVerificationEmail } from '../src/mail/mailer.js';
import { createSmtpMailer } from '../src/node/smtp-mailer.js';

const FROM = 'Twofold <no-reply@twofold.test>';
const WAIT_MS = 2_000;

/** A message as the relay received it: the SMTP envelope and the raw RFC 5322 source. */
interface Received {
  mailFrom: string;
  rcptTo: string[];
  raw: string;
}

interface Relay {
  port: number;
  url: string;
  received: Received[];
  /** Every RCPT TO address the relay was offered, accepted or not. */
  offered: string[];
}

/** Rejects with a clear error when `promise` does not settle within `ms`. */
function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `check` until it holds, for at most `ms`. */
async function eventually(check: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  // Mailers first (they were registered after their relay), then the relays.
  const failures: unknown[] = [];
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
});

/** A real SMTP relay on 127.0.0.1 (no TLS, no auth) that records what it receives. */
async function startRelay(options: { rejectRecipients?: boolean } = {}): Promise<Relay> {
  const received: Received[] = [];
  const offered: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 500,
    onRcptTo(address, _session, callback) {
      offered.push(address.address);
      if (options.rejectRecipients) {
        const error: Error & { responseCode?: number } = new Error('5.1.1 Mailbox unavailable');
        error.responseCode = 550;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const { mailFrom, rcptTo } = session.envelope;
        received.push({
          mailFrom: mailFrom === false ? '' : mailFrom.address,
          rcptTo: rcptTo.map((to) => to.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await bounded(
    new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    }),
    WAIT_MS,
    'the SMTP relay to listen',
  );
  cleanups.push(() =>
    bounded(
      new Promise<void>((resolve) => server.close(() => resolve())),
      WAIT_MS,
      'the SMTP relay to close',
    ),
  );
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no TCP port');
  return { port: address.port, url: `smtp://127.0.0.1:${address.port}`, received, offered };
}

/** A TCP port on 127.0.0.1 with nothing listening on it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await bounded(
    new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => resolve());
    }),
    WAIT_MS,
    'a probe socket to listen',
  );
  const address = probe.address();
  if (address === null || typeof address === 'string') throw new Error('probe has no TCP port');
  await bounded(
    new Promise<void>((resolve) => probe.close(() => resolve())),
    WAIT_MS,
    'the probe socket to close',
  );
  return address.port;
}

function smtpMailer(url: string) {
  const mailer = createSmtpMailer({ url, from: FROM });
  cleanups.push(() => mailer.close());
  return mailer;
}

/** Decodes a MIME body by its Content-Transfer-Encoding. */
function decodeBody(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case 'quoted-printable':
      return Buffer.from(
        body
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      ).toString('utf8');
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

function splitEntity(entity: string): { headers: string; body: string } {
  const at = entity.indexOf('\r\n\r\n');
  if (at === -1) return { headers: entity, body: '' };
  return { headers: entity.slice(0, at), body: entity.slice(at + 4) };
}

function headerValue(headers: string, name: string): string | undefined {
  // Unfold continuation lines, then find `Name: value`.
  const unfolded = headers.replace(/\r\n[ \t]+/g, ' ');
  const match = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded);
  return match?.[1]?.trim();
}

/** The decoded text/plain part of a raw message (single part or multipart). */
function plainText(raw: string): string {
  const { headers, body } = splitEntity(raw);
  const type = headerValue(headers, 'Content-Type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  const entities =
    boundary === undefined
      ? [raw]
      : body
          .split(`--${boundary}`)
          .slice(1)
          .filter((part) => !part.startsWith('--'))
          .map((part) => part.replace(/^\r\n/, ''));
  for (const entity of entities) {
    const part = splitEntity(entity);
    const partType = headerValue(part.headers, 'Content-Type') ?? 'text/plain';
    if (!/^text\/plain\b/i.test(partType)) continue;
    const encoding = headerValue(part.headers, 'Content-Transfer-Encoding') ?? '7bit';
    return decodeBody(part.body, encoding);
  }
  throw new Error(`no text/plain part in:\n${raw}`);
}

/** The link and the code a verification email carries. */
function extractVerification(text: string): { link: string; token: string } {
  const link = /^(https?:\/\/\S+\/verify-email\?token=\S+)$/m.exec(text)?.[1];
  const token = /Or enter this code: (\S+)/.exec(text)?.[1];
  if (link === undefined || token === undefined) {
    throw new Error(`no verification link or code in:\n${text}`);
  }
  return { link, token };
}

const failureLine = (email: string) => `verification email to ${email} failed`;

describe('createSmtpMailer against a real SMTP relay', () => {
  it('delivers the verification email to the recipient, with the link and the token', async () => {
    const relay = await startRelay();
    const mailer = smtpMailer(relay.url);
    // Base64url tokens carry '-' and '_'; the link is long enough to be line-wrapped.
    const token = 'Ab3-_x9Zq'.repeat(4).concat('Kp0-_Lm').slice(0, 43);
    const link = `https://app.twofold.test/verify-email?token=${encodeURIComponent(token)}`;
    const email = composeVerificationEmail('alice@example.com', token, link, 'Twofold', new Date());

    await bounded(mailer.send(email), WAIT_MS, 'the mailer to send');

    expect(relay.received).toHaveLength(1);
    const [message] = relay.received;
    expect(message?.mailFrom).toBe('no-reply@twofold.test');
    expect(message?.rcptTo).toEqual(['alice@example.com']);
    const { headers } = splitEntity(message?.raw ?? '');
    expect(headerValue(headers, 'To')).toBe('alice@example.com');
    expect(headerValue(headers, 'From')).toBe(FROM);
    expect(headerValue(headers, 'Subject')).toBe('Confirm your email address for Twofold');
    const text = plainText(message?.raw ?? '');
    expect(text).toContain(link);
    expect(text).toContain(token);
    expect(extractVerification(text)).toEqual({ link, token });
  });

  it('rejects when the relay refuses the recipient', async () => {
    const relay = await startRelay({ rejectRecipients: true });
    const mailer = smtpMailer(relay.url);
    const email = composeVerificationEmail(
      'bob@example.com',
      't',
      'https://x.test/?t',
      'Twofold',
      new Date(),
    );
    await expect(bounded(mailer.send(email), WAIT_MS, 'the mailer to fail')).rejects.toMatchObject({
      code: 'EENVELOPE',
      responseCode: 550,
    });
    expect(relay.offered).toEqual(['bob@example.com']);
    expect(relay.received).toHaveLength(0);
  });

  it('rejects when nothing listens at the relay address', async () => {
    const mailer = smtpMailer(`smtp://127.0.0.1:${await closedPort()}`);
    const email = composeVerificationEmail(
      'bob@example.com',
      't',
      'https://x.test/?t',
      'Twofold',
      new Date(),
    );
    await expect(bounded(mailer.send(email), WAIT_MS, 'the mailer to fail')).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});

describe('email verification over SMTP in production mode (spec §4)', () => {
  it('emails the token (never exposes it), which verifies once', async () => {
    const relay = await startRelay();
    const t = inProcessServer({ mode: 'production', mailer: smtpMailer(relay.url) });
    const user = await t.newUser();

    const sent = await t.call('POST', '/auth/verify-email/send', { token: user.accessToken });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({
      success: true,
      data: { sent: true, verification_token: '', message: MESSAGES.verificationSent },
    });

    await eventually(() => relay.received.length > 0, 'the relay to receive the email');
    expect(relay.received).toHaveLength(1);
    const [message] = relay.received;
    expect(message?.rcptTo).toEqual([user.email]);
    const { link, token } = extractVerification(plainText(message?.raw ?? ''));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new URL(link).searchParams.get('token')).toBe(token);
    expect(link.startsWith('http://127.0.0.1:8787/verify-email?')).toBe(true);

    const verified = await t.call('POST', '/auth/verify-email', { body: { token } });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({
      success: true,
      data: { verified: true, user_id: user.id, message: MESSAGES.emailVerified },
    });

    const again = await t.call('POST', '/auth/verify-email', { body: { token } });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('INVALID_TOKEN');

    const afterwards = await t.call('POST', '/auth/verify-email/send', {
      token: user.accessToken,
    });
    expect(afterwards.body.data).toMatchObject({ sent: false, verification_token: '' });
    expect(relay.received).toHaveLength(1);
  });

  it('queues the email when the relay refuses the recipient, logs it, and keeps the older token working', async () => {
    const relay = await startRelay({ rejectRecipients: true });
    const t = inProcessServer({ mode: 'production', mailer: smtpMailer(relay.url) });
    const user = await t.newUser();

    const sent = await t.call('POST', '/auth/verify-email/send', { token: user.accessToken });
    expect(sent.status).toBe(200);
    expect(sent.body.data).toEqual({
      sent: true,
      verification_token: '',
      message: MESSAGES.verificationQueued,
    });
    expect(t.logs.some((line) => line.startsWith(failureLine(user.email)))).toBe(true);
    expect(relay.offered).toEqual([user.email]);
    expect(relay.received).toHaveLength(0);
    // Still queued: tried again once the retry is due (5 s later), not before.
    expect(await t.server.admin.deliverQueuedMail()).toBe(0);
    expect(relay.offered).toHaveLength(1);
    t.clock.advance(5_000);
    expect(await t.server.admin.deliverQueuedMail()).toBe(0);
    expect(relay.offered).toHaveLength(2);
  });

  it('loses no email while the relay is down for a minute: each goes out once it is back, and tokens work', async () => {
    const port = await closedPort();
    const down = smtpMailer(`smtp://127.0.0.1:${port}`);
    let mailer = down;
    const t = inProcessServer({
      mode: 'production',
      mailer: { send: (email) => mailer.send(email) },
    });
    // An older token first, while the relay works; then the relay goes away.
    const first = await startRelay();
    mailer = smtpMailer(first.url);
    const user = await t.newUser();
    expect(
      (await t.call('POST', '/auth/verify-email/send', { token: user.accessToken })).body.data
        .message,
    ).toBe(MESSAGES.verificationSent);
    const older = extractVerification(plainText(first.received[0]?.raw ?? '')).token;
    mailer = down;
    const others = [await t.newUser(), await t.newUser(), await t.newUser()];
    for (const who of [user, ...others]) {
      const reply = await t.call('POST', '/auth/verify-email/send', { token: who.accessToken });
      expect(reply.body.data.message).toBe(MESSAGES.verificationQueued);
    }
    // A minute of retries against nothing (the worker's passes, on the test clock).
    for (let second = 0; second < 60; second += 5) {
      t.clock.advance(5_000);
      expect(await t.server.admin.deliverQueuedMail()).toBe(0);
    }
    const relay = await startRelay();
    mailer = smtpMailer(relay.url);
    t.clock.advance(5 * 60_000);
    expect(await t.server.admin.deliverQueuedMail()).toBe(4);
    expect(await t.server.admin.deliverQueuedMail()).toBe(0);
    expect(relay.received.map((mail) => mail.rcptTo[0]).sort()).toEqual(
      [user, ...others].map((who) => who.email).sort(),
    );
    for (const [index, mail] of relay.received.entries()) {
      const { token } = extractVerification(plainText(mail.raw));
      const verified = await t.call('POST', '/auth/verify-email', { body: { token } });
      expect(verified.status, `mail ${index}`).toBe(200);
    }
    // The new token replaced the older one only once its mail was accepted.
    expect((await t.call('POST', '/auth/verify-email', { body: { token: older } })).status).toBe(
      401,
    );
  });

  it('answers resend-verification alike for a failing send and an unknown address, and logs the failure', async () => {
    const relay = await startRelay({ rejectRecipients: true });
    const t = inProcessServer({ mode: 'production', mailer: smtpMailer(relay.url) });
    const user = await t.newUser();

    const unknown = await t.call('POST', '/auth/resend-verification', {
      body: { email: 'nobody@example.com' },
    });
    const known = await t.call('POST', '/auth/resend-verification', {
      body: { email: user.email },
    });
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(unknown.status);
    expect(known.text).toBe(unknown.text);
    expect(known.body).toEqual({
      success: true,
      data: { sent: true, verification_token: '', message: MESSAGES.resendAccepted },
    });

    await eventually(
      () => t.logs.some((line) => line.startsWith(failureLine(user.email))),
      'the background send failure to be logged',
    );
    expect(t.logs.some((line) => line.includes('nobody@example.com'))).toBe(false);
    expect(relay.offered).toEqual([user.email]);
    expect(relay.received).toHaveLength(0);
  });
});

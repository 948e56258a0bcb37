import { type InProcessServer, inProcessServer } from '@twofold/testing';
import { describe, expect, it } from 'vitest';
import {
  createTwofoldServer,
  TwofoldConfigError,
  type TwofoldServerOptions,
} from '../src/index.js';
import { verificationLink } from '../src/mail/verification-mail.js';

/** The in-process server's origin (the test kit's default base URL). */
const IN_PROCESS_BASE_URL = 'http://twofold.test';

// Spec §6 rule 5: where the link of a verification email leads, and the server's own page
// behind the default link, which verifies only on an explicit POST.

/** Sends a verification email to a new user; returns the outbox entry. */
async function emailed(t: InProcessServer) {
  const user = await t.newUser();
  await t.call('POST', '/auth/verify-email/send', { token: user.accessToken });
  const outbox = await t.call('GET', `/dev/outbox?to=${encodeURIComponent(user.email)}`);
  return { user, entry: outbox.body.data[0] as { link: string; token: string; text: string } };
}

/** The page's button, as a browser submits it. */
const pressButton = (t: InProcessServer, token: string) =>
  t.fetch(`${IN_PROCESS_BASE_URL}/verify-email`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });

describe('the link in verification emails', () => {
  it('leads by default to the server page at the public URL', async () => {
    const t = inProcessServer({ publicUrl: 'https://auth.example.com/' });
    const { entry } = await emailed(t);
    expect(entry.link).toBe(`https://auth.example.com/verify-email?token=${entry.token}`);
    expect(entry.text).toContain(entry.link);
  });

  it('is built from verifyUrl, {token} replaced by the URL-encoded token', async () => {
    const t = inProcessServer({
      verifyUrl: 'https://app.example.com/account/verify?token={token}&from=email',
    });
    const { entry } = await emailed(t);
    expect(entry.link).toBe(
      `https://app.example.com/account/verify?token=${encodeURIComponent(entry.token)}&from=email`,
    );
  });

  // Tokens are base64url today (nothing to encode); a token of any alphabet must still make
  // a link that carries it intact.
  it('URL-encodes the token, and `$&` in it stays literal', () => {
    const link = verificationLink('https://app.example.com/v?token={token}', 'a+b/c=&d $&');
    expect(link).toBe('https://app.example.com/v?token=a%2Bb%2Fc%3D%26d%20%24%26');
    expect(new URL(link).searchParams.get('token')).toBe('a+b/c=&d $&');
  });

  it.each([
    ['https://app.example.com/verify', 'must contain {token} exactly once'],
    ['https://app.example.com/{token}?again={token}', 'must contain {token} exactly once'],
    ['/verify-email?token={token}', 'must be an absolute http(s) URL'],
    ['javascript:alert(1)//{token}', 'must be an absolute http(s) URL'],
    ['ftp://files.example/{token}', 'must be an absolute http(s) URL'],
  ])('verifyUrl %s is refused at creation: %s', (verifyUrl, problem) => {
    const options: TwofoldServerOptions = {
      mode: 'development',
      secret: 'verify link test secret: 32+ bytes of key material',
      encryptionKey: 'verify link test encryption key: 32+ bytes',
      verifyUrl,
    };
    let error: unknown;
    try {
      createTwofoldServer(options);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(TwofoldConfigError);
    expect((error as TwofoldConfigError).option).toBe('verifyUrl');
    expect((error as TwofoldConfigError).problem).toContain(problem);
  });
});

describe('the verification page (GET /verify-email)', () => {
  it('shows a button and never consumes the token; the button verifies once', async () => {
    const t = inProcessServer();
    const { user, entry } = await emailed(t);
    const url = new URL(entry.link);
    // Mail scanners and link previews open the link, maybe several times.
    for (let i = 0; i < 3; i++) {
      const shown = await t.fetch(`${IN_PROCESS_BASE_URL}${url.pathname}${url.search}`);
      expect(shown.status).toBe(200);
      const html = await shown.text();
      expect(html).toContain('<form method="post" action="verify-email">');
      expect(html).toContain(`<input type="hidden" name="token" value="${entry.token}">`);
      expect(html).toContain('<button type="submit">');
    }
    // The token the scanners saw is still unused: the button redeems exactly it.
    const token = entry.token;
    const verified = await pressButton(t, token);
    expect(verified.status).toBe(200);
    expect(await verified.text()).toContain('Email address verified');
    const again = await pressButton(t, token);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('invalid, has expired or was already used');
    const after = await t.call('POST', '/auth/verify-email/send', { token: user.accessToken });
    expect(after.body.data).toMatchObject({ sent: false, message: 'Email is already verified' });
  });

  it('carries a strict Content-Security-Policy (no script at all) and is never cached', async () => {
    const t = inProcessServer();
    const shown = await t.fetch(`${IN_PROCESS_BASE_URL}/verify-email?token=abc`);
    expect(shown.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(shown.headers.get('Content-Security-Policy')).toBe(
      "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(shown.headers.get('Cache-Control')).toBe('no-store');
    expect(shown.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(shown.headers.get('X-Frame-Options')).toBe('DENY');
    const html = await shown.text();
    expect(html).not.toContain('<script');
    expect(html).not.toContain('style=');
  });

  it('escapes the token it echoes', async () => {
    const t = inProcessServer();
    const shown = await t.fetch(
      `${IN_PROCESS_BASE_URL}/verify-email?token=${encodeURIComponent('"><script>x</script>')}`,
    );
    const html = await shown.text();
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(html).not.toContain('<script>');
  });

  it('answers a page, never a 500, for a missing token, a bad or oversized form and a wrong method', async () => {
    const t = inProcessServer({ limits: { bodyBytes: 1024 } });
    const noToken = await t.fetch(`${IN_PROCESS_BASE_URL}/verify-email`);
    expect(noToken.status).toBe(400);
    expect(await noToken.text()).toContain('carries no verification token');
    for (const init of [
      { body: 'token=made-up', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
      { body: '', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
      { body: '{"token":"x"}', headers: { 'Content-Type': 'application/json' } },
      {
        body: `token=${'a'.repeat(5000)}`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      },
      { body: 'token=%ZZ%', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
    ]) {
      const refused = await t.fetch(`${IN_PROCESS_BASE_URL}/verify-email`, {
        method: 'POST',
        ...init,
      });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('Link invalid or expired');
    }
    const put = await t.fetch(`${IN_PROCESS_BASE_URL}/verify-email`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('Allow')).toBe('GET, POST');
  });
});

import { createClient } from '@twofold/client';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwofoldMock } from '../src/index.js';

// The link of verification emails in the mock (spec §6 rule 5), as on the server: `verifyUrl`
// points it at the app; by default it is the server's page, which the handlers answer.

const APP_MOCK = 'http://app-link.twofold.test';
const PAGE_MOCK = 'http://page-link.twofold.test';
const toApp = createTwofoldMock({
  baseUrl: APP_MOCK,
  verifyUrl: 'http://localhost:5173/verify-email?token={token}',
});
const ownPage = createTwofoldMock({ baseUrl: PAGE_MOCK });
const server = setupServer(...toApp.handlers, ...ownPage.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

/** A signed-in SDK for a new user of the mock at `baseUrl`, who has been sent the email. */
async function emailed(baseUrl: string, username: string) {
  const client = createClient({ baseUrl, retry: 0 });
  await client.auth.register({ username, email: `${username}@example.com`, password: 'pw-123456' });
  await client.auth.login({ username, password: 'pw-123456' });
  await client.email.sendVerification();
  return client;
}

describe('the link in the mock’s verification emails', () => {
  it('leads where verifyUrl says, the token URL-encoded in place of {token}', async () => {
    await emailed(APP_MOCK, 'linked');
    const [mail] = toApp.outbox.list('linked@example.com');
    expect(mail?.link).toBe(
      `http://localhost:5173/verify-email?token=${encodeURIComponent(mail?.token ?? '')}`,
    );
  });

  it('by default opens the server page: GET shows the button and consumes nothing, the form verifies', async () => {
    const client = await emailed(PAGE_MOCK, 'paged');
    const [mail] = ownPage.outbox.list('paged@example.com');
    expect(mail?.link).toBe(`${PAGE_MOCK}/verify-email?token=${mail?.token}`);
    const page = await fetch(mail?.link ?? '');
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('<button type="submit">');
    const pressed = await fetch(`${PAGE_MOCK}/verify-email`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: mail?.token ?? '' }).toString(),
    });
    expect(await pressed.text()).toContain('Email address verified');
    expect((await client.email.sendVerification()).sent).toBe(false); // already verified
  });

  it.each(['http://localhost:5173/verify-email', '/verify-email?token={token}'])(
    'refuses verifyUrl %s at creation, naming it',
    (verifyUrl) => {
      expect(() => createTwofoldMock({ baseUrl: 'http://x.twofold.test', verifyUrl })).toThrow(
        expect.objectContaining({ name: 'TwofoldConfigError', option: 'verifyUrl' }),
      );
    },
  );
});

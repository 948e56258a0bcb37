import { createClient } from '@twofold/client';
import { devOutbox } from '@twofold/client/dev';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupTwofoldMock } from '../src/node.js';

// What a frontend developer sees on the way from the mock to the server: the authenticator
// app's entry, and one outbox shape whether read from the mock or over HTTP.

const BASE_URL = 'http://dev-path.twofold.test';
const ACME_URL = 'http://acme.twofold.test';
const CRATE_URL = 'http://crate.twofold.test';
const mock = setupTwofoldMock({ baseUrl: BASE_URL });
const acme = setupTwofoldMock({ baseUrl: ACME_URL, totpIssuer: 'Acme Dev' });
const crate = setupTwofoldMock({
  baseUrl: CRATE_URL,
  totpIssuer: 'AuthFramework',
  totpAccount: (user) => user.id,
});
const all = [mock, acme, crate];
// One MSW server carries the handlers of all three (two msw/node servers would patch fetch twice).
beforeAll(() => {
  mock.msw.use(...acme.handlers, ...crate.handlers);
  mock.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => {
  for (const m of all) m.reset();
  mock.msw.use(...acme.handlers, ...crate.handlers);
});
afterAll(() => mock.close());

const password = 'correct horse battery staple';

async function setupFor(m: typeof mock, baseUrl: string, username: string) {
  const created = await m.users.create({ username, email: `${username}@example.com`, password });
  const client = createClient({ baseUrl, retry: 0 });
  await client.auth.login({ username, password });
  return { created, setup: await client.mfa.setup({ password }) };
}

describe('the otpauth label', () => {
  it('reads Twofold:username by default', async () => {
    const { setup } = await setupFor(mock, BASE_URL, 'ada');
    expect(setup.otpauthUri).toMatch(/^otpauth:\/\/totp\/Twofold:ada\?/);
    expect(setup.otpauthUri).toContain('issuer=Twofold');
  });

  it('takes the issuer from totpIssuer', async () => {
    const { setup } = await setupFor(acme, ACME_URL, 'grace');
    expect(setup.otpauthUri).toMatch(/^otpauth:\/\/totp\/Acme%20Dev:grace\?/);
    expect(setup.otpauthUri).toContain('issuer=Acme%20Dev');
  });

  it("gives the auth-framework crate's URI with totpAccount: (u) => u.id", async () => {
    const { created, setup } = await setupFor(crate, CRATE_URL, 'linus');
    expect(setup.otpauthUri).toMatch(
      new RegExp(
        `^otpauth://totp/AuthFramework:${created.id}\\?secret=${setup.secret}&issuer=AuthFramework`,
      ),
    );
  });
});

describe('one outbox shape', () => {
  it('mock.outbox.list(), GET /dev/outbox and devOutbox() of the SDK answer the same entries', async () => {
    await mock.users.create({ username: 'mailer', email: 'Mailer@example.com', password });
    const client = createClient({ baseUrl: BASE_URL, retry: 0 });
    await client.auth.login({ username: 'mailer', password });
    await client.email.sendVerification();
    mock.clock.advance(1_000);
    await client.email.sendVerification();

    const fromMock = mock.outbox.list('mailer@example.com');
    expect(fromMock).toHaveLength(2);
    const response = await fetch(`${BASE_URL}/api/v1/dev/outbox?to=mailer%40example.com`);
    expect(await response.json()).toEqual({ success: true, data: fromMock });
    expect(await devOutbox(client, 'MAILER@example.com')).toEqual(fromMock);
    expect(Object.keys(fromMock[0] ?? {}).sort()).toEqual(
      ['link', 'sent_at', 'subject', 'text', 'to', 'token'].sort(),
    );
  });

  it('devOutbox() of a production server fails with NOT_FOUND', async () => {
    const production = setupTwofoldMock({
      baseUrl: 'http://prod.twofold.test',
      mode: 'production',
    });
    mock.msw.use(...production.handlers);
    const client = createClient({ baseUrl: 'http://prod.twofold.test', retry: 0 });
    await expect(devOutbox(client, 'a@example.com')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

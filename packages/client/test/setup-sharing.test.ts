import { setupTwofoldMock } from '@twofold/mock/node';
import { base32Decode, totp } from '@twofold/otp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/index.js';

// React StrictMode runs an effect twice: two setup() calls at once must leave one pending
// secret on the server, and both callers must show that one.

const BASE_URL = 'http://setup-sharing.twofold.test';
const mock = setupTwofoldMock({ baseUrl: BASE_URL });
beforeAll(() => mock.listen({ onUnhandledRequest: 'error' }));
afterEach(() => mock.reset());
afterAll(() => mock.close());

const password = 'correct horse battery staple';
const setupRequests = () => mock.requests.filter((r) => r === 'POST /api/v1/mfa/setup').length;

async function loggedIn(username: string) {
  await mock.users.create({ username, email: `${username}@example.com`, password });
  const client = createClient({ baseUrl: BASE_URL, retry: 0 });
  await client.auth.login({ username, password });
  return client;
}

describe('mfa.setup() called twice at once', () => {
  it('sends one request; both callers get the pending secret, which verifies', async () => {
    const client = await loggedIn('strict_mode');
    const [first, second] = await Promise.all([
      client.mfa.setup({ password }),
      client.mfa.setup({ password }),
    ]);
    expect(setupRequests()).toBe(1);
    expect(second).toEqual(first);
    // The secret the callers show is the one the server verifies against.
    await client.mfa.verify(totp(base32Decode(first.secret), { time: mock.clock.now() }));
    expect((await client.mfa.status()).enabled).toBe(true);
  });

  it('starts a new setup once the shared one has answered', async () => {
    const client = await loggedIn('again');
    const first = await client.mfa.setup({ password });
    const second = await client.mfa.setup({ password });
    expect(setupRequests()).toBe(2);
    expect(second.secret).not.toBe(first.secret);
  });

  it('shares between calls with the same signal', async () => {
    const client = await loggedIn('same_signal');
    const { signal } = new AbortController();
    const [first, second] = await Promise.all([
      client.mfa.setup({ password, signal }),
      client.mfa.setup({ password, signal }),
    ]);
    expect(setupRequests()).toBe(1);
    expect(second).toEqual(first);
  });

  it('lets a call with a signal go alone, so aborting it fails no other caller', async () => {
    const client = await loggedIn('aborting');
    const controller = new AbortController();
    const aborted = client.mfa.setup({ password, signal: controller.signal });
    const kept = client.mfa.setup({ password });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' });
    const setup = await kept;
    expect(setup.backupCodes).toHaveLength(10);
  });
});

import { setupTwofoldMock } from '@twofold/mock/node';
import { inProcessServer } from '@twofold/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, isTwofoldError } from '../src/index.js';

// baseUrl as people write it: copied from a banner, a browser bar or the OpenAPI servers list.

const envelope = () =>
  new Response(
    JSON.stringify({
      success: true,
      data: { enabled: false, methods: [], backup_codes_remaining: 0 },
    }),
    {
      headers: { 'Content-Type': 'application/json' },
    },
  );

/** The URL the SDK requests for `mfa.status` with `baseUrl`. */
async function statusUrl(baseUrl: string): Promise<string> {
  let requested = '';
  const client = createClient({
    baseUrl,
    retry: 0,
    fetch: async (input) => {
      requested = input instanceof Request ? input.url : String(input);
      return envelope();
    },
    tokenStore: {
      get: () => ({
        accessToken: 'a',
        refreshToken: 'r',
        tokenType: 'Bearer',
        expiresAt: Date.now() + 3600_000,
        user: { id: 'u', username: 'u', roles: [], permissions: [] },
      }),
      set: () => {},
    },
  });
  await client.mfa.status();
  return requested;
}

describe('createClient checks baseUrl at construction', () => {
  it.each([
    ['localhost:8787'],
    ['127.0.0.1:8787'],
    ['/api/v1'],
    [''],
    ['ftp://files.example'],
    ['http://user:secret@127.0.0.1:8787'],
    ['http://127.0.0.1:8787/?tenant=a'],
    ['http://127.0.0.1:8787/#top'],
  ])('refuses %j with a TypeError naming the value', (baseUrl) => {
    expect(() => createClient({ baseUrl })).toThrowError(TypeError);
    expect(() => createClient({ baseUrl })).toThrowError(
      `baseUrl ${baseUrl}: not an absolute http(s) URL`,
    );
  });

  it('refuses a baseUrl that is not a string (a JavaScript caller, an unset env variable)', () => {
    expect(() => createClient({ baseUrl: undefined as unknown as string })).toThrowError(
      'baseUrl undefined: not an absolute http(s) URL',
    );
  });

  it.each([
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787/api/v1/mfa/status'],
    ['http://127.0.0.1:8787/', 'http://127.0.0.1:8787/api/v1/mfa/status'],
    ['http://127.0.0.1:8787/api/v1', 'http://127.0.0.1:8787/api/v1/mfa/status'],
    ['http://127.0.0.1:8787/api/v1/', 'http://127.0.0.1:8787/api/v1/mfa/status'],
    ['http://127.0.0.1:8787/api/v1//', 'http://127.0.0.1:8787/api/v1/mfa/status'],
    ['https://example.com/auth', 'https://example.com/auth/api/v1/mfa/status'],
    ['https://example.com/auth/api/v1/', 'https://example.com/auth/api/v1/mfa/status'],
  ])('accepts %s (calls %s)', async (baseUrl, url) => {
    expect(await statusUrl(baseUrl)).toBe(url);
  });
});

describe('the same spellings work against the server and the mock', () => {
  const MOCK = 'http://mock.twofold.test';
  // The mock is given /api/v1 here, the client the bare origin, and the other way round below.
  const mock = setupTwofoldMock({ baseUrl: `${MOCK}/api/v1/` });
  beforeAll(() => mock.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => mock.close());

  const user = { username: 'spelling', email: 'spelling@example.com', password: 'long enough pw' };

  it('registers and logs in through every spelling, against the server', async () => {
    const t = inProcessServer();
    const spellings = [t.baseUrl, `${t.baseUrl}/`, `${t.baseUrl}/api/v1`, `${t.baseUrl}/api/v1/`];
    await createClient({ baseUrl: spellings[2] as string, fetch: t.fetch }).auth.register(user);
    for (const baseUrl of spellings) {
      const result = await createClient({ baseUrl, fetch: t.fetch, retry: 0 }).auth.login(user);
      expect(result.status).toBe('authenticated');
    }
  });

  it('registers and logs in through every spelling, against the mock', async () => {
    const spellings = [MOCK, `${MOCK}/`, `${MOCK}/api/v1`, `${MOCK}/api/v1/`];
    await createClient({ baseUrl: MOCK, retry: 0 }).auth.register(user);
    for (const baseUrl of spellings) {
      const result = await createClient({ baseUrl, retry: 0 }).auth.login(user);
      expect(result.status).toBe('authenticated');
    }
    expect(mock.requests.every((line) => line.includes(' /api/v1/auth/'))).toBe(true);
  });
});

describe('NETWORK_ERROR says where and why', () => {
  const user = { username: 'nobody', password: 'long enough pw' };

  it('names the usual causes when nothing answers (NETWORK_ERROR)', async () => {
    const error = await createClient({ baseUrl: 'http://127.0.0.1:9/api/v1', retry: 0 })
      .auth.login(user)
      .catch((e: unknown) => e);
    expect(isTwofoldError(error) && error.code).toBe('NETWORK_ERROR');
    expect((error as Error).message).toBe('No answer: server down, wrong baseUrl or CORS?');
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, isTwofoldError, type Session, type TwofoldClient } from '../src/index.js';

// Every answer auth-framework gives (shared/spec/auth-framework-responses.json), served by MSW;
// each must decode to the right result, or to a TwofoldError with the envelope's code — never
// by HTTP status alone (the crate answers 500 for wrong codes and 200 with success:false).

interface Fixture {
  route: string;
  scenario: string;
  status: number;
  headers?: Record<string, string>;
  body?: {
    success: boolean;
    data?: unknown;
    message?: string;
    error?: { code: string; message: string };
  };
  text?: string;
}

const sharedDir =
  process.env.TWOFOLD_SHARED_DIR ?? fileURLToPath(new URL('../../../../shared', import.meta.url));
const { fixtures } = JSON.parse(
  readFileSync(`${sharedDir}/spec/auth-framework-responses.json`, 'utf8'),
) as { fixtures: Fixture[] };

const BASE = 'http://auth-framework.test';
const session: Session = {
  accessToken: 'access',
  refreshToken: 'refresh',
  tokenType: 'Bearer',
  expiresAt: Date.now() + 3600_000,
  user: { id: 'user_0123456789abcdef', username: 'alice', roles: ['user'], permissions: [] },
};

/** The SDK call that exercises each route; unknown routes are tried through /mfa/status. */
const CALLS: Record<string, { path: string; call: (client: TwofoldClient) => Promise<unknown> }> = {
  'POST /api/v1/auth/login': {
    path: '/auth/login',
    call: (c) => c.auth.login({ username: 'alice', password: 'pw' }),
  },
  'POST /api/v1/auth/register': {
    path: '/auth/register',
    call: (c) => c.auth.register({ username: 'alice', email: 'alice@example.com', password: 'pw' }),
  },
  'POST /api/v1/auth/refresh': { path: '/auth/refresh', call: (c) => c.auth.refresh() },
  'POST /api/v1/auth/logout': { path: '/auth/logout', call: (c) => c.auth.logout() },
  'GET /api/v1/auth/validate': { path: '/auth/validate', call: (c) => c.auth.validate() },
  'POST /api/v1/mfa/setup': { path: '/mfa/setup', call: (c) => c.mfa.setup({ password: 'pw' }) },
  'POST /api/v1/mfa/verify': { path: '/mfa/verify', call: (c) => c.mfa.verify('123456') },
  'POST /api/v1/mfa/disable': {
    path: '/mfa/disable',
    call: (c) => c.mfa.disable({ password: 'pw', code: '123456' }),
  },
  'GET /api/v1/mfa/status': { path: '/mfa/status', call: (c) => c.mfa.status() },
  'POST /api/v1/mfa/regenerate-backup-codes': {
    path: '/mfa/regenerate-backup-codes',
    call: (c) => c.mfa.regenerateBackupCodes({ password: 'pw' }),
  },
  'POST /api/v1/mfa/verify-backup-code': {
    path: '/mfa/verify-backup-code',
    call: (c) => c.mfa.verifyBackupCode('ABCDEFGH'),
  },
  'POST /api/v1/auth/verify-email/send': {
    path: '/auth/verify-email/send',
    call: (c) => c.email.sendVerification(),
  },
  'POST /api/v1/auth/verify-email': {
    path: '/auth/verify-email',
    call: (c) => c.email.verify('token'),
  },
  'POST /api/v1/auth/resend-verification': {
    path: '/auth/resend-verification',
    call: (c) => c.email.resend('alice@example.com'),
  },
  'GET /api/v1/unknown': { path: '/mfa/status', call: (c) => c.mfa.status() },
  'ANY /api/v1/*': { path: '/mfa/verify', call: (c) => c.mfa.verify('123456') },
};

/** What a success body decodes to: the SDK's camelCase shapes. */
function expected(route: string, data: unknown): unknown {
  const d = data as Record<string, unknown>;
  switch (route) {
    case 'POST /api/v1/auth/login':
      return {
        status: 'authenticated',
        session: {
          accessToken: d.access_token,
          refreshToken: d.refresh_token,
          tokenType: 'Bearer',
          expiresAt: expect.any(Number),
          user: d.user,
        },
      };
    case 'POST /api/v1/auth/register':
      return { userId: d.user_id, username: d.username, email: d.email };
    case 'POST /api/v1/auth/refresh':
      return { ...session, accessToken: d.access_token, expiresAt: expect.any(Number) };
    case 'GET /api/v1/auth/validate':
      return d;
    case 'POST /api/v1/mfa/setup':
      return { otpauthUri: d.qr_code, secret: d.secret, backupCodes: d.backup_codes };
    case 'GET /api/v1/mfa/status':
      return {
        enabled: d.enabled,
        methods: d.methods,
        backupCodesRemaining: d.backup_codes_remaining,
      };
    case 'POST /api/v1/mfa/regenerate-backup-codes':
      return data;
    case 'POST /api/v1/auth/verify-email':
      return { verified: d.verified, userId: d.user_id, message: d.message };
    case 'POST /api/v1/auth/verify-email/send':
    case 'POST /api/v1/auth/resend-verification':
      return { sent: d.sent, verificationToken: d.verification_token, message: d.message };
    default:
      return undefined;
  }
}

const mock = setupServer();
beforeAll(() => mock.listen({ onUnhandledRequest: 'error' }));
afterEach(() => mock.resetHandlers());
afterAll(() => mock.close());

function serve(path: string, fixture: Fixture) {
  const respond = () =>
    fixture.text !== undefined
      ? new HttpResponse(fixture.text, { status: fixture.status, headers: fixture.headers ?? {} })
      : HttpResponse.json(fixture.body, { status: fixture.status, headers: fixture.headers ?? {} });
  // A refresh the SDK attempts after a stale-token answer is refused, as the crate would.
  const refused = fixtures.find(
    (f) => f.route === 'POST /api/v1/auth/refresh' && f.scenario === 'bad token',
  );
  mock.use(
    http.all(`${BASE}/api/v1${path}`, respond),
    http.post(`${BASE}/api/v1/auth/refresh`, () =>
      HttpResponse.json(refused?.body, { status: refused?.status ?? 401 }),
    ),
  );
}

describe('auth-framework compatibility: every crate response decodes by envelope code', () => {
  it('has a call for every route in the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(50);
    for (const fixture of fixtures) expect(CALLS[fixture.route], fixture.route).toBeDefined();
  });

  it.each(fixtures.map((f) => [`${f.route} — ${f.scenario} (${f.status})`, f] as const))(
    '%s',
    async (_, fixture) => {
      const route = CALLS[fixture.route];
      if (route === undefined) throw new Error(`no call for ${fixture.route}`);
      const mainRoute = fixture.route === 'POST /api/v1/auth/refresh' ? undefined : route.path;
      if (mainRoute !== undefined) serve(mainRoute, fixture);
      else
        mock.use(
          http.post(`${BASE}/api/v1/auth/refresh`, () =>
            HttpResponse.json(fixture.body, { status: fixture.status }),
          ),
        );
      let stored: Session | null = session;
      const client = createClient({
        baseUrl: BASE,
        retry: 0,
        tokenStore: {
          get: () => stored,
          set: (next) => {
            stored = next;
          },
        },
      });

      const outcome = await route.call(client).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );

      if (fixture.body?.success === true) {
        expect('error' in outcome ? outcome.error : undefined).toBeUndefined();
        const value = (outcome as { value: unknown }).value;
        expect(value).toEqual(expected(fixture.route, fixture.body.data));
        return;
      }
      if (fixture.body?.error?.code === 'MFA_REQUIRED') {
        const value = (outcome as { value: { status: string; challenge: unknown } }).value;
        expect(value.status).toBe('mfa_required');
        expect(value.challenge).toEqual({
          id: 'mfa_6f1c2d',
          methods: ['totp', 'backup_code'],
          expiresAt: new Date('2026-11-21T12:05:00Z'),
          message: 'Provide your current TOTP code or a backup code to complete login',
        });
        return;
      }
      const error = (outcome as { error: unknown }).error;
      expect(isTwofoldError(error), String(error)).toBe(true);
      if (!isTwofoldError(error)) return;
      expect(error.code).toBe(fixture.body?.error?.code ?? 'INVALID_RESPONSE');
      expect(error.status).toBe(fixture.status);
      if (fixture.body?.error) expect(error.message).toBe(fixture.body.error.message);
      if (fixture.headers?.['retry-after'])
        expect(error.retryAfter).toBe(Number(fixture.headers['retry-after']));
    },
  );
});

import { API_PREFIX, ERROR_CODES, ROUTE_IDS, ROUTES } from '@twofold/contract';
import { testServerOptions } from '@twofold/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTwofoldServer } from '../src/server.js';

// Issue 14 item 12: generated requests on every route — wrong types, malformed and hostile JSON,
// NUL and unpaired surrogates, deep nesting, `__proto__` and duplicate keys, odd methods,
// content types and bearer tokens. Every answer must be an envelope with a catalogued code, never
// a 5xx, and the server must serve a normal flow afterwards.

const RUNS = 10_000;
const BASE = 'http://localhost';

/** Text of every kind: ASCII, any code point, raw UTF-16 units (lone surrogates), NUL, long. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '\u0000', '\ud800', 'a'.repeat(5_000), '字'.repeat(3_000), '../../etc'),
);

/** A JSON value of any shape, including deep nesting. */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** The field names the routes read, so generated bodies reach their validators. */
const FIELDS = [
  'username',
  'email',
  'password',
  'challenge_id',
  'mfa_code',
  'totp_code',
  'backup_code',
  'refresh_token',
  'token',
  'webauthn_response',
  'response',
  'name',
];

const body = fc.oneof(
  // Credentials-shaped, so login and the step-up routes reach their password checks often enough
  // (about 20 times a run) that a run never misses them by chance.
  fc
    .record({ username: fc.oneof(fc.constant('fuzzed'), text), password: text })
    .map((value) => JSON.stringify(value)),
  // An object with the routes' fields, holding anything.
  fc
    .dictionary(fc.constantFrom(...FIELDS), jsonValue, { maxKeys: 5 })
    .map((value) => JSON.stringify(value)),
  jsonValue.map((value) => JSON.stringify(value)),
  // Not JSON, or JSON a parser may take badly.
  text,
  fc.constantFrom(
    '{"__proto__":{"polluted":true},"username":"a"}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"username":"a","username":"b","password":"c"}',
    `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
    '{"username":',
    '\u0000',
  ),
);

const request = (validToken: string) =>
  fc.record({
    route: fc.constantFrom(...ROUTE_IDS),
    /** Now and then (1 in 10) a segment after the path: a path no route has. */
    extra: fc
      .tuple(fc.noBias(fc.nat(9)), text)
      .map(([draw, segment]) => (draw === 0 ? segment : null)),
    method: fc.option(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'), {
      freq: 3,
    }),
    param: text,
    query: fc.option(text),
    contentType: fc.option(
      fc.constantFrom(
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=latin1',
        '',
      ),
    ),
    authorization: fc.option(
      fc.oneof(
        text.map((value) => `Bearer ${value}`),
        fc.constantFrom('Basic YTpi', 'Bearer', 'bearer  a.b.c', `Bearer ${validToken}`),
      ),
    ),
    body: fc.option(body),
  });

/**
 * Percent-encoded as a client would send it; a lone surrogate, which no UTF-8 can carry, goes as
 * the invalid bytes a broken client would send (`%ED%A0%80`).
 */
function percentEncoded(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return `%ED%A0%80${encodeURIComponent(value.replace(/[\ud800-\udfff]/g, ''))}`;
  }
}

/** A header value node:http would accept (no control characters): others never reach a server. */
const headerSafe = (value: string) => value.replace(/[^\u0020-\u007e]/g, '?');

describe('fuzzed requests (issue 14 item 12)', () => {
  it(`answers ${RUNS} generated requests with envelopes of catalogued codes, no 5xx`, async () => {
    // Passkeys on, so their routes reach their handlers too (off, they answer 501 by design).
    const server = createTwofoldServer(
      testServerOptions({
        webauthn: { rpId: 'localhost', rpName: 'Fuzz', origins: ['http://localhost:5173'] },
      }),
    );
    const known = new Set<string>(ERROR_CODES);
    let answered = 0;
    const codes: Record<string, number> = {};
    const tally = (code: string) => {
      codes[code] = (codes[code] ?? 0) + 1;
    };
    // A real access token now and then, so bearer routes reach their handlers.
    await server.admin.createUser({
      username: 'fuzzed',
      email: 'fuzzed@fuzz.test',
      password: 'password123',
    });
    const signedIn = await server.fetch(
      new Request(`${BASE}${API_PREFIX}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'fuzzed', password: 'password123' }),
      }),
    );
    const validToken = ((await signedIn.json()) as { data: { access_token: string } }).data
      .access_token;
    await fc.assert(
      fc.asyncProperty(request(validToken), async (generated) => {
        const route = ROUTES[generated.route];
        const method = generated.method ?? route.method;
        const path = route.path.replace(/:(\w+)/g, () => percentEncoded(generated.param));
        const extra = generated.extra === null ? '' : `/${percentEncoded(generated.extra)}`;
        const query = generated.query === null ? '' : `?to=${percentEncoded(generated.query)}`;
        const headers: Record<string, string> = {};
        if (generated.contentType !== null) headers['Content-Type'] = generated.contentType;
        if (generated.authorization !== null) {
          headers.Authorization = headerSafe(generated.authorization);
        }
        const sendsBody = generated.body !== null && method !== 'GET' && method !== 'HEAD';
        const response = await server.fetch(
          new Request(`${BASE}${API_PREFIX}${path}${extra}${query}`, {
            method,
            headers,
            ...(sendsBody ? { body: generated.body } : {}),
          }),
        );
        answered++;
        expect(response.status).toBeLessThan(500);
        if (response.status === 204 || method === 'HEAD') {
          tally(`${response.status} (no body)`);
          return;
        }
        const envelope = (await response.json()) as {
          success?: unknown;
          data?: unknown;
          error?: { code?: string; message?: unknown };
        };
        tally(envelope.success === true ? 'success' : (envelope.error?.code ?? 'none'));
        if (envelope.success === true) return;
        expect(envelope.success).toBe(false);
        expect(known.has(envelope.error?.code ?? ''), JSON.stringify(envelope)).toBe(true);
        expect(typeof envelope.error?.message).toBe('string');
      }),
      { numRuns: RUNS },
    );
    expect(answered).toBe(RUNS);
    console.info(
      `fuzz: ${answered} requests, 0 non-envelope answers, 0 5xx; answers ${JSON.stringify(codes)}`,
    );
    // The requests reached past routing and authentication into the validators and handlers.
    for (const code of [
      'VALIDATION_ERROR',
      'UNAUTHORIZED',
      'NOT_FOUND',
      'METHOD_NOT_ALLOWED',
      'INVALID_CREDENTIALS',
    ]) {
      expect(codes[code] ?? 0, code).toBeGreaterThan(0);
    }
    // No prototype was polluted, and a normal flow still works.
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    const json = { 'Content-Type': 'application/json' };
    const register = await server.fetch(
      new Request(`${BASE}${API_PREFIX}/auth/register`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          username: 'after_fuzz',
          email: 'after@fuzz.test',
          password: 'password123',
        }),
      }),
    );
    expect(register.status).toBe(200);
    const login = await server.fetch(
      new Request(`${BASE}${API_PREFIX}/auth/login`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ username: 'after_fuzz', password: 'password123' }),
      }),
    );
    const token = ((await login.json()) as { data: { access_token: string } }).data.access_token;
    const status = await server.fetch(
      new Request(`${BASE}${API_PREFIX}/mfa/status`, {
        headers: { Authorization: `Bearer ${token}` },
      }),
    );
    expect(status.status).toBe(200);
  }, 300_000);
});

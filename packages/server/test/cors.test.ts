import { inProcessServer } from '@twofold/testing';
import { describe, expect, it } from 'vitest';
import { TwofoldConfigError } from '../src/index.js';

const production = { mode: 'production' as const, mailer: { send: async () => {} } };

/** A preflight as a browser sends it before a cross-origin request with a JSON body. */
const preflightInit = (origin: string, method = 'POST'): RequestInit => ({
  method: 'OPTIONS',
  headers: {
    Origin: origin,
    'Access-Control-Request-Method': method,
    'Access-Control-Request-Headers': 'content-type',
  },
});

describe('CORS in development mode: loopback pages by default (spec §6 rule 7)', () => {
  const t = inProcessServer();

  it.each([
    'http://localhost:5173',
    'http://127.0.0.1:3000',
    'http://[::1]:8080',
    'https://localhost',
    'http://localhost',
  ])('allows %s, on the answer and on the preflight', async (origin) => {
    const answer = await t.call('GET', '/mfa/status', { headers: { Origin: origin } });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('Access-Control-Allow-Origin')).toBe(origin);
    const preflight = await t.server.fetch(
      new Request(`${t.baseUrl}/api/v1/auth/login`, preflightInit(origin)),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe(origin);
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toContain('Content-Type');
  });

  it.each([
    'http://evil.test',
    'http://localhost.evil.test',
    'http://127.0.0.1.evil.test:80',
    'http://localhost:5173/',
    'file://',
    'null',
  ])('refuses %s', async (origin) => {
    const answer = await t.call('GET', '/mfa/status', { headers: { Origin: origin } });
    expect(answer.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const preflight = await t.server.fetch(
      new Request(`${t.baseUrl}/api/v1/auth/login`, preflightInit(origin)),
    );
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toBeNull();
  });

  it('keeps allowing loopback beside configured origins, unless loopback is switched off', async () => {
    const both = inProcessServer({ cors: { origins: ['https://app.example'] } });
    for (const origin of ['https://app.example', 'http://localhost:5173']) {
      const answer = await both.call('GET', '/mfa/status', { headers: { Origin: origin } });
      expect(answer.headers.get('Access-Control-Allow-Origin')).toBe(origin);
    }
    const strict = inProcessServer({ cors: { origins: ['https://app.example'], loopback: false } });
    const answer = await strict.call('GET', '/mfa/status', {
      headers: { Origin: 'http://localhost:5173' },
    });
    expect(answer.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('CORS in production mode: only the configured origins', () => {
  it('refuses loopback pages unless configured', async () => {
    const bare = inProcessServer(production);
    const answer = await bare.call('GET', '/mfa/status', {
      headers: { Origin: 'http://localhost:5173' },
    });
    expect(answer.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(answer.headers.get('Vary')).toBe('Origin');
    const configured = inProcessServer({
      ...production,
      cors: { origins: ['https://app.example'] },
    });
    const allowed = await configured.call('GET', '/mfa/status', {
      headers: { Origin: 'https://app.example' },
    });
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://app.example');
  });

  it('refuses an origin that could never match, naming it', () => {
    for (const origin of ['https://app.example/', 'https://app.example/path', 'app.example', '*']) {
      expect(() => inProcessServer({ ...production, cors: { origins: [origin] } })).toThrowError(
        TwofoldConfigError,
      );
      try {
        inProcessServer({ ...production, cors: { origins: [origin] } });
      } catch (error) {
        expect((error as TwofoldConfigError).option).toBe('cors.origins');
        expect((error as TwofoldConfigError).problem).toContain(`got ${origin}`);
      }
    }
  });

  it('describes the policy in one line', () => {
    expect(inProcessServer().server.allowedOrigins).toBe(
      'localhost, 127.0.0.1 and [::1] on any port',
    );
    expect(inProcessServer(production).server.allowedOrigins).toBe('no browser origins');
    expect(
      inProcessServer({
        ...production,
        cors: { origins: ['https://a.example', 'https://b.example'] },
      }).server.allowedOrigins,
    ).toBe('https://a.example, https://b.example');
  });
});

describe('preflights anywhere under /api get a CORS answer, so the page reads the real error', () => {
  const t = inProcessServer({ ...production, cors: { origins: ['https://app.example'] } });
  const origin = 'https://app.example';

  it('answers the preflight of an unknown path with 204, then the request with a 404 envelope with CORS', async () => {
    const preflight = await t.server.fetch(
      new Request(`${t.baseUrl}/api/v1/no-such-route`, preflightInit(origin)),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe(origin);
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toBe('POST, OPTIONS');
    expect(preflight.headers.get('Allow')).toBeNull();
    expect(preflight.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const answer = await t.call('POST', '/no-such-route', {
      body: {},
      headers: { Origin: origin },
    });
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('NOT_FOUND');
    expect(answer.headers.get('Access-Control-Allow-Origin')).toBe(origin);
    // Outside the API version too (e.g. /api/v2 from a client of another version).
    const other = await t.server.fetch(
      new Request(`${t.baseUrl}/api/v2/auth/login`, preflightInit(origin)),
    );
    expect(other.status).toBe(204);
  });

  it('lets a wrong method through the preflight, so the page reads the 405 envelope', async () => {
    const preflight = await t.server.fetch(
      new Request(`${t.baseUrl}/api/v1/mfa/status`, preflightInit(origin, 'DELETE')),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toBe('GET, DELETE, OPTIONS');
    expect(preflight.headers.get('Allow')).toBe('GET, OPTIONS');
    const answer = await t.call('DELETE', '/mfa/status', { headers: { Origin: origin } });
    expect(answer.status).toBe(405);
    expect(answer.body.error.code).toBe('METHOD_NOT_ALLOWED');
    expect(answer.headers.get('Access-Control-Allow-Origin')).toBe(origin);
  });

  it('never echoes a method that is not a method token', async () => {
    const preflight = await t.server.fetch(
      new Request(`${t.baseUrl}/api/v1/no-such-route`, preflightInit(origin, 'GET, PUT')),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toBe('OPTIONS');
  });

  it('answers a preflight from a foreign origin without any Allow-* header', async () => {
    const preflight = await t.server.fetch(
      new Request(`${t.baseUrl}/api/v1/no-such-route`, preflightInit('https://evil.example')),
    );
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toBeNull();
  });

  it('leaves paths outside /api alone: an unknown path there is a 404 envelope', async () => {
    const outside = await t.server.fetch(
      new Request(`${t.baseUrl}/elsewhere`, preflightInit(origin)),
    );
    expect(outside.status).toBe(404);
  });

  it('gives documents served beside the API the same headers', () => {
    const headers = t.server.responseHeaders(
      new Request(`${t.baseUrl}/api/openapi.json`, { headers: { Origin: origin } }),
    );
    expect(headers['Access-Control-Allow-Origin']).toBe(origin);
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Content-Security-Policy']).toContain("default-src 'none'");
    expect(
      t.server.responseHeaders(new Request(`${t.baseUrl}/api/openapi.json`))[
        'Access-Control-Allow-Origin'
      ],
    ).toBeUndefined();
  });
});

import { inProcessServer } from '@twofold/testing';
import { describe, expect, it } from 'vitest';

describe('framework-level answers are envelopes (spec §1)', () => {
  const t = inProcessServer({ cors: { origins: ['http://app.test'] } });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    for (const path of ['/nope', '/mfa', '/auth/login/extra']) {
      const reply = await t.call('GET', path);
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({
        success: false,
        error: { code: 'NOT_FOUND', message: 'Not found' },
      });
    }
    const outside = await t.server.fetch(new Request(`${t.baseUrl}/elsewhere`));
    expect(outside.status).toBe(404);
    expect((await outside.json()).error.code).toBe('NOT_FOUND');
  });

  it('answers a wrong method with 405 METHOD_NOT_ALLOWED and Allow', async () => {
    const reply = await t.call('GET', '/auth/login');
    expect(reply.status).toBe(405);
    expect(reply.headers.get('Allow')).toBe('POST');
    expect(reply.body.error.code).toBe('METHOD_NOT_ALLOWED');
    expect((await t.call('DELETE', '/mfa/status')).headers.get('Allow')).toBe('GET');
  });

  it('answers malformed JSON with 400 VALIDATION_ERROR', async () => {
    const reply = await t.call('POST', '/auth/login', {
      raw: '{"username":',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      success: false,
      error: { code: 'VALIDATION_ERROR', message: 'Request body must be valid JSON' },
    });
  });

  it('answers a JSON body that is not an object with VALIDATION_ERROR', async () => {
    for (const raw of ['[]', 'null', '"x"', '42']) {
      const reply = await t.call('POST', '/auth/login', {
        raw,
        headers: { 'Content-Type': 'application/json' },
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toEqual({
        code: 'VALIDATION_ERROR',
        message: 'Request body must be a JSON object',
      });
    }
  });

  it('answers a body that is not JSON with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', '']) {
      const reply = await t.call('POST', '/auth/login', {
        raw: 'username=a&password=b',
        headers: type ? { 'Content-Type': type } : {},
      });
      expect(reply.status, type).toBe(415);
      expect(reply.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    const charset = await t.call('POST', '/auth/login', {
      raw: '{}',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(charset.body.error.code).toBe('VALIDATION_ERROR');
  });

  it('answers a streamed body over 16 KiB with 413 PAYLOAD_TOO_LARGE', async () => {
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode(' '.repeat(1024)));
        controller.close();
      },
    });
    const response = await t.server.fetch(
      new Request(`${t.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        body: stream,
        headers: { 'Content-Type': 'application/json' },
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(413);
  });

  it('sends the security headers on every answer', async () => {
    for (const reply of [
      await t.call('GET', '/nope'),
      await t.call('POST', '/auth/login', { body: {} }),
    ]) {
      expect(reply.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
      expect(reply.headers.get('Cache-Control')).toBe('no-store');
      expect(reply.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(reply.headers.get('X-Frame-Options')).toBe('DENY');
      expect(reply.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
      expect(reply.headers.get('Referrer-Policy')).toBe('no-referrer');
    }
  });

  it('allows configured origins by CORS, preflight included, and no others', async () => {
    const preflight = await t.call('OPTIONS', '/mfa/status', {
      headers: { Origin: 'http://app.test', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe('http://app.test');
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toContain('Authorization');
    const simple = await t.call('GET', '/mfa/status', { headers: { Origin: 'http://app.test' } });
    expect(simple.headers.get('Access-Control-Allow-Origin')).toBe('http://app.test');
    expect(simple.headers.get('Access-Control-Expose-Headers')).toContain('Retry-After');
    const foreign = await t.call('GET', '/mfa/status', { headers: { Origin: 'http://evil.test' } });
    expect(foreign.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const foreignPreflight = await t.call('OPTIONS', '/mfa/status', {
      headers: { Origin: 'http://evil.test', 'Access-Control-Request-Method': 'GET' },
    });
    expect(foreignPreflight.headers.get('Access-Control-Allow-Methods')).toBeNull();
  });

  it('hides the development outbox in production mode', async () => {
    const production = inProcessServer({ mode: 'production', mailer: { send: async () => {} } });
    expect((await production.call('GET', '/dev/outbox?to=a@example.com')).status).toBe(404);
    expect((await t.call('GET', '/dev/outbox?to=a@example.com')).status).toBe(200);
  });
});

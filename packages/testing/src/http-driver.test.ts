import { describe, expect, it } from 'vitest';
import { httpDriver, PASSWORD } from './http-driver.js';
import { inProcessServer } from './in-process-server.js';

describe('httpDriver', () => {
  it('sends JSON, the bearer token and the client address, and reads the answer', async () => {
    const seen: { url: string; headers: Headers; body: string; client?: string }[] = [];
    const api = httpDriver({
      baseUrl: 'http://driver.test/',
      transport: async (request, client) => {
        seen.push({
          url: request.url,
          headers: request.headers,
          body: await request.text(),
          ...(client === undefined ? {} : { client }),
        });
        return new Response(request.method === 'GET' ? '' : '{"success":true}', { status: 201 });
      },
    });
    const reply = await api.call('POST', '/auth/login', {
      body: { username: 'a' },
      token: 't0ken',
      client: '198.51.100.1',
    });
    expect(reply).toMatchObject({ status: 201, body: { success: true }, text: '{"success":true}' });
    expect(seen[0]?.url).toBe('http://driver.test/api/v1/auth/login');
    expect(seen[0]?.headers.get('Authorization')).toBe('Bearer t0ken');
    expect(seen[0]?.headers.get('Content-Type')).toBe('application/json');
    expect(seen[0]?.body).toBe('{"username":"a"}');
    expect(seen[0]?.client).toBe('198.51.100.1');
    expect((await api.call('GET', '/mfa/status')).body).toBeUndefined();
  });

  it('refuses an answer that is not JSON, naming the request', async () => {
    const api = httpDriver({
      baseUrl: 'http://driver.test',
      transport: async () => new Response('<html>', { status: 502 }),
    });
    await expect(api.call('GET', '/mfa/status')).rejects.toThrow(
      'GET /mfa/status: not JSON (HTTP 502): <html>',
    );
  });

  it('registers users, enables MFA and drives a login challenge against a server', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa('kit');
    expect(user.username).toMatch(/^kit\d+_/);
    expect(user.password).toBe(PASSWORD);
    expect(user.backupCodes).toHaveLength(10);
    // The clock moved one step on: the current code is not the one enrolment used.
    expect(t.codeFor(user.secret)).not.toBe(user.verifiedCode);
    const challenge = await t.startChallenge(user.username);
    const done = await t.completeChallenge(user.username, challenge, t.codeFor(user.secret));
    expect(done.status).toBe(200);
    await expect(t.startChallenge('nobody')).rejects.toThrow(/login step 1 of nobody: HTTP 401/);
    expect(t.requests.at(-1)).toBe('POST /api/v1/auth/login');
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, isTwofoldError, type Session, type TwofoldError } from '../src/index.js';

// Transport faults over real sockets: every one becomes a TwofoldError with the right code,
// and nothing is left as an unhandled rejection (vitest fails the run if one is).

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
let handler: Handler = (_, response) => response.end();
let server: Server;
let baseUrl: string;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const session: Session = {
  accessToken: 'a',
  refreshToken: 'r',
  tokenType: 'Bearer',
  expiresAt: Date.now() + 3600_000,
  user: { id: 'u', username: 'u', roles: [], permissions: [] },
};
const client = (options: { timeout?: number; retry?: number } = {}) =>
  createClient({
    baseUrl,
    retry: options.retry ?? 0,
    timeout: options.timeout ?? 2000,
    tokenStore: { get: () => session, set: () => {} },
  });

async function failure(promise: Promise<unknown>): Promise<TwofoldError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  if (!isTwofoldError(error)) throw new Error(`not a TwofoldError: ${String(error)}`);
  return error;
}

describe('transport faults', () => {
  it('connection refused → NETWORK_ERROR', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const error = await failure(
      createClient({ baseUrl: `http://127.0.0.1:${closedPort}`, retry: 0 }).email.resend('a@b.co'),
    );
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.status).toBe(0);
    expect(error.cause).toBeDefined();
  });

  it('no answer within the timeout → TIMEOUT', async () => {
    handler = () => {}; // never answers
    const error = await failure(client({ timeout: 150 }).mfa.status());
    expect(error.code).toBe('TIMEOUT');
  });

  it('an abort while waiting → ABORTED', async () => {
    handler = () => {};
    const controller = new AbortController();
    const pending = client().mfa.status({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(pending)).code).toBe('ABORTED');
  });

  it('an HTML error page → INVALID_RESPONSE with the status', async () => {
    handler = (_, response) => {
      response.writeHead(500, { 'Content-Type': 'text/html' });
      response.end('<html><body>Internal Server Error</body></html>');
    };
    const error = await failure(client().mfa.verify('123456'));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.status).toBe(500);
  });

  it('truncated JSON → INVALID_RESPONSE', async () => {
    handler = (_, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"success":true,"data":{"enabled":tr');
    };
    expect((await failure(client().mfa.status())).code).toBe('INVALID_RESPONSE');
  });

  it('JSON that is not an envelope → INVALID_RESPONSE', async () => {
    handler = (_, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"enabled":true}');
    };
    expect((await failure(client().mfa.status())).code).toBe('INVALID_RESPONSE');
  });

  it('a 502 page from a proxy → INVALID_RESPONSE (502), GETs retried first, POSTs never', async () => {
    handler = (_, response) => {
      response.writeHead(502, { 'Content-Type': 'text/html' });
      response.end('<h1>502 Bad Gateway</h1>');
    };
    hits.length = 0;
    const get = await failure(client({ retry: 2 }).mfa.status());
    expect(get.code).toBe('INVALID_RESPONSE');
    expect(get.status).toBe(502);
    expect(hits.filter((h) => h.endsWith('/mfa/status'))).toHaveLength(3);
    hits.length = 0;
    await failure(client({ retry: 2 }).mfa.verify('123456'));
    expect(hits.filter((h) => h.endsWith('/mfa/verify'))).toHaveLength(1);
  });

  it('honours Retry-After on an idempotent request, and hands long waits to the caller', async () => {
    let calls = 0;
    handler = (_, response) => {
      calls++;
      if (calls === 1) {
        response.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1' });
        response.end('{"success":false,"error":{"code":"SERVER_ERROR","message":"busy"}}');
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(
        '{"success":true,"data":{"enabled":false,"methods":[],"backup_codes_remaining":0}}',
      );
    };
    const started = Date.now();
    expect(await client({ retry: 2 }).mfa.status()).toEqual({
      enabled: false,
      methods: [],
      backupCodesRemaining: 0,
    });
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    handler = (_, response) => {
      response.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '900' });
      response.end(
        '{"success":false,"error":{"code":"RATE_LIMITED","message":"slow down","details":{"retry_after_seconds":900}}}',
      );
    };
    hits.length = 0;
    const limited = await failure(client({ retry: 2 }).mfa.status());
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.retryAfter).toBe(900);
    expect(hits).toHaveLength(1);
  });

  it('never retries a login or a code check, whatever the failure', async () => {
    handler = (request, response) => {
      if (request.url?.endsWith('/auth/login')) request.socket.destroy();
      else response.end();
    };
    hits.length = 0;
    const error = await failure(
      createClient({ baseUrl, retry: 5 }).auth.login({ username: 'a', password: 'b' }),
    );
    expect(error.code).toBe('NETWORK_ERROR');
    expect(hits.filter((h) => h.endsWith('/auth/login'))).toHaveLength(1);
  });
});

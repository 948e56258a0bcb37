import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { base32Decode, totp } from '@twofold/otp';
import {
  type AnyBody,
  runTypeScript,
  type TestProcess,
  testClock,
  testServerOptions,
} from '@twofold/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, type ServeOptions, serve } from '../src/node.js';
import type { TwofoldServerOptions } from '../src/options.js';
import { createTwofoldServer, type TwofoldServer } from '../src/server.js';

// The node:http adapter over real sockets: spec §1 (every answer is an envelope), the socket
// peer as the client address (§3 rule 3), and a graceful shutdown on SIGTERM.

const DRAIN_FIXTURE = fileURLToPath(new URL('./fixtures/drain-server.ts', import.meta.url));
const LOOPBACK = ['127.0.0.1', '::ffff:127.0.0.1'];

const running: RunningServer[] = [];
const children: TestProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.signal('SIGKILL');
  await Promise.all(
    running.splice(0).map((server) => {
      const closing = server.close();
      server.httpServer.closeAllConnections();
      return closing;
    }),
  );
});

function newServer(options: Partial<TwofoldServerOptions> = {}): TwofoldServer {
  return createTwofoldServer(testServerOptions(options));
}

/** Serves `server` on 127.0.0.1 with a free port; closed after the test. */
async function listen(
  server: Pick<TwofoldServer, 'fetch'> = newServer(),
  options: ServeOptions = {},
): Promise<RunningServer> {
  const started = await serve(server, {
    port: 0,
    host: '127.0.0.1',
    handleSignals: false,
    ...options,
  });
  running.push(started);
  return started;
}

/** Rejects with `what` in the message when `promise` takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** 1 MiB of JSON whitespace as a stream, so fetch sends it chunked, without a Content-Length. */
function mebibyteStream(): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= 1024 * 1024) {
        controller.close();
        return;
      }
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: AnyBody;
}

async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000), ...init });
  const text = await response.text();
  let body: AnyBody;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** The body is exactly `{success:false,error:{code,message}}`, served as JSON. */
function expectErrorEnvelope(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('Content-Type')).toMatch(/^application\/json\s*(;|$)/);
  expect(answer.body).toStrictEqual({
    success: false,
    error: { code, message: expect.any(String) },
  });
  expect(answer.body.error.message).not.toBe('');
}

/** Writes `data` on a fresh TCP connection and collects everything until the server closes it. */
function rawExchange(port: number, data: string): Promise<string> {
  return within(
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', reject);
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.on('connect', () => socket.write(data));
    }),
    5_000,
    `raw exchange ${JSON.stringify(data)}`,
  );
}

/** Whether `raw` holds a whole answer: its head and as many body bytes as it declares. */
function isWholeAnswer(raw: string): boolean {
  const split = raw.indexOf('\r\n\r\n');
  const length = /\r\ncontent-length: *(\d+)/i.exec(raw.slice(0, split))?.[1];
  return (
    split > 0 && length !== undefined && Buffer.byteLength(raw.slice(split + 4)) >= Number(length)
  );
}

/** Splits a raw HTTP/1.1 response into status, headers and JSON body. */
function parseRaw(raw: string): Answer {
  const split = raw.indexOf('\r\n\r\n');
  expect(split, raw).toBeGreaterThan(0);
  const [statusLine = '', ...lines] = raw.slice(0, split).split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3}) /.exec(statusLine);
  expect(status, statusLine).not.toBeNull();
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  let text = raw.slice(split + 4);
  if (headers.get('Transfer-Encoding') === 'chunked') {
    let rest = text;
    text = '';
    for (;;) {
      const eol = rest.indexOf('\r\n');
      const size = Number.parseInt(rest.slice(0, eol), 16);
      if (!(size > 0)) break;
      text += rest.slice(eol + 2, eol + 2 + size);
      rest = rest.slice(eol + 2 + size + 2);
    }
  }
  return { status: Number(status?.[1]), headers, text, body: JSON.parse(text) };
}

describe('framework failures over node:http are JSON envelopes (spec §1)', () => {
  it('answers malformed JSON with 400 VALIDATION_ERROR', async () => {
    const { url } = await listen();
    const answer = await request(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"username":',
    });
    expectErrorEnvelope(answer, 400, 'VALIDATION_ERROR');
  });

  it('answers a text/plain body with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const { url } = await listen();
    const answer = await request(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'username=a&password=b',
    });
    expectErrorEnvelope(answer, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a 1 MiB body with 413 PAYLOAD_TOO_LARGE and keeps serving', async () => {
    // Neither a forced close nor a keep-alive timeout can end close() below in time: only the
    // server's own closing of connections it has finished with can.
    const server = await listen(newServer(), { shutdownTimeoutMs: 60_000 });
    server.httpServer.keepAliveTimeout = 60_000;
    const { url } = server;
    const big = JSON.stringify({ username: 'a'.repeat(1024 * 1024), password: 'x' });
    const post = (path: string, body: BodyInit) =>
      request(`${url}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit);

    // Refused by its Content-Length, before a byte of it is read.
    expectErrorEnvelope(await post('/api/v1/auth/login', big), 413, 'PAYLOAD_TOO_LARGE');
    // Chunked, without a Content-Length: refused once the limit is passed while reading.
    expectErrorEnvelope(
      await post('/api/v1/auth/login', mebibyteStream()),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    // A route that never reads its body.
    expectErrorEnvelope(await post('/api/v1/nope', big), 404, 'NOT_FOUND');

    const after = await post('/api/v1/auth/login', JSON.stringify({ username: '', password: '' }));
    expectErrorEnvelope(after, 400, 'VALIDATION_ERROR');
    expect(after.body.error.message).toBe('Username and password are required');
    // The unread rest of each body was consumed, and no connection is left open after it.
    await within(server.close(), 5_000, 'close() after oversized bodies');
  }, 30_000);

  it('lets close() finish a connection whose unread body is still arriving', async () => {
    const server = await listen(newServer(), { shutdownTimeoutMs: 60_000 });
    server.httpServer.keepAliveTimeout = 60_000;
    const size = 256 * 1024;
    const socket = connect(server.port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    let received = '';
    const answered = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('utf8');
        if (isWholeAnswer(received)) resolve();
      });
    });
    socket.write(
      `POST /api/v1/nope HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`,
    );
    socket.write(' '.repeat(1024));
    // Answered before its body is in; the server goes on reading (and dropping) the rest.
    await within(answered, 5_000, 'the 404 answer');
    expectErrorEnvelope(parseRaw(received), 404, 'NOT_FOUND');
    const closing = server.close();
    socket.write(' '.repeat(size - 1024));
    await within(closing, 5_000, 'close() once the body is in');
    await within(closed, 5_000, 'the server to close the connection');
  }, 30_000);

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const { url } = await listen();
    for (const path of ['/api/v1/nope', '/elsewhere', '/']) {
      expectErrorEnvelope(await request(`${url}${path}`), 404, 'NOT_FOUND');
    }
  });

  it('answers a wrong method with 405 METHOD_NOT_ALLOWED and an Allow header', async () => {
    const { url } = await listen();
    const get = await request(`${url}/api/v1/auth/login`);
    expectErrorEnvelope(get, 405, 'METHOD_NOT_ALLOWED');
    expect(get.headers.get('Allow')).toBe('POST');
    const del = await request(`${url}/api/v1/mfa/status`, { method: 'DELETE' });
    expectErrorEnvelope(del, 405, 'METHOD_NOT_ALLOWED');
    expect(del.headers.get('Allow')).toBe('GET');
  });
});

describe('the adapter', () => {
  it('writes an answer whole, with its Content-Length (not chunked)', async () => {
    const { url } = await listen();
    const response = await fetch(`${url}/api/v1/mfa/status`);
    const text = await response.text();
    expect(response.status).toBe(401);
    expect(response.headers.get('Transfer-Encoding')).toBeNull();
    expect(response.headers.get('Content-Length')).toBe(String(Buffer.byteLength(text)));
    expect(JSON.parse(text).error.code).toBe('UNAUTHORIZED');
  });

  it("aborts a fetch handler's request.signal when the client goes away", async () => {
    let aborted: () => void = () => {};
    const abortSeen = new Promise<void>((resolve) => {
      aborted = resolve;
    });
    const { url } = await listen({
      // A handler that is not a Twofold server: it gets a Web Request, and waits for its client.
      fetch: (request) =>
        new Promise<Response>((resolve) => {
          request.signal.addEventListener('abort', () => {
            aborted();
            resolve(new Response(null, { status: 499 }));
          });
        }),
    });
    const client = new AbortController();
    const sent = fetch(`${url}/slow`, { signal: client.signal }).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    client.abort();
    expect(await sent).toBeInstanceOf(Error);
    await within(abortSeen, 5_000, 'request.signal to abort');
  });

  it('treats a client gone mid-body as its own failure, not a server error', async () => {
    const errors: unknown[] = [];
    const server = newServer({
      logger: { info: () => {}, warn: () => {}, error: (...args: unknown[]) => errors.push(args) },
    });
    const { port, url } = await listen(server);
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"username":',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Still serving, and nothing was logged as an unexpected error.
    expectErrorEnvelope(await request(`${url}/api/v1/nope`), 404, 'NOT_FOUND');
    expect(errors).toEqual([]);
  });
});

describe('malformed HTTP over a raw socket', () => {
  it('answers garbage with a 400 JSON envelope and keeps serving', async () => {
    const { url, port } = await listen();
    for (const garbage of [
      'this is not http\r\n\r\n',
      '\x00\x01\x02\xff garbage\r\n\r\n',
      'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
      'GET /api/v1/mfa/status HTTP/1.1\r\nno colon in this header\r\n\r\n',
      'GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n',
    ]) {
      const answer = parseRaw(await rawExchange(port, garbage));
      expectErrorEnvelope(answer, 400, 'VALIDATION_ERROR');
    }
    expectErrorEnvelope(await request(`${url}/api/v1/mfa/status`), 401, 'UNAUTHORIZED');
  });

  it('answers what node:http would answer by itself with envelopes too', async () => {
    const { url, port } = await listen();
    const noHost = parseRaw(await rawExchange(port, 'GET /api/v1/mfa/status HTTP/1.1\r\n\r\n'));
    expectErrorEnvelope(noHost, 400, 'VALIDATION_ERROR');
    expect(noHost.body.error.message).toBe('Host header is required');
    const expectation = parseRaw(
      await rawExchange(
        port,
        'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nExpect: foo\r\nContent-Length: 2\r\n\r\n',
      ),
    );
    expectErrorEnvelope(expectation, 417, 'VALIDATION_ERROR');
    const connect = parseRaw(
      await rawExchange(port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'),
    );
    expectErrorEnvelope(connect, 405, 'METHOD_NOT_ALLOWED');
    // HTTP/1.0 needs no Host.
    const old = parseRaw(await rawExchange(port, 'GET /api/v1/mfa/status HTTP/1.0\r\n\r\n'));
    expectErrorEnvelope(old, 401, 'UNAUTHORIZED');
    expectErrorEnvelope(await request(`${url}/api/v1/mfa/status`), 401, 'UNAUTHORIZED');
  });
});

describe('the socket peer is the client address (spec §3 rule 3)', () => {
  /** A server whose adapter-given client addresses are recorded in `seen`. */
  function recording(options: Partial<TwofoldServerOptions> = {}) {
    const inner = newServer(options);
    const seen: (string | undefined)[] = [];
    const server: Pick<TwofoldServer, 'fetch' | 'ready'> = {
      ready: inner.ready,
      fetch: (req, conn) => {
        seen.push(conn?.clientAddress);
        return inner.fetch(req, conn);
      },
    };
    return { server, seen };
  }

  it('passes the peer address to the server, whatever X-Forwarded-For says', async () => {
    const { server, seen } = recording();
    const { url } = await listen(server);
    for (const forwarded of ['203.0.113.7', '198.51.100.1, 203.0.113.9', '::1']) {
      await request(`${url}/api/v1/mfa/status`, { headers: { 'X-Forwarded-For': forwarded } });
    }
    expect(seen).toHaveLength(3);
    for (const address of seen) expect(LOOPBACK).toContain(address);
  });

  /**
   * Three users each submit one wrong code from a different X-Forwarded-For with a per-client
   * limit of 2: the third attempt is refused when the counter is the socket peer's.
   */
  async function thirdAttempt(trustProxy: TwofoldServerOptions['trustProxy']) {
    const clock = testClock();
    const { server, seen } = recording({
      now: clock.now,
      limits: { attemptsPerClient: 2 },
      ...(trustProxy === undefined ? {} : { trustProxy }),
    });
    const { url } = await listen(server);
    const post = (path: string, body: unknown, token?: string, forwarded?: string) =>
      request(`${url}/api/v1${path}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
          ...(forwarded === undefined ? {} : { 'X-Forwarded-For': forwarded }),
        },
        body: JSON.stringify(body),
      });

    const answers: Answer[] = [];
    for (const n of [1, 2, 3]) {
      const username = `peer${n}_${Math.random().toString(36).slice(2, 8)}`;
      const password = 'correct horse battery staple';
      const registered = await post('/auth/register', {
        username,
        email: `${username}@example.com`,
        password,
      });
      expect(registered.status, registered.text).toBe(200);
      const login = await post('/auth/login', { username, password });
      expect(login.status, login.text).toBe(200);
      const token = login.body.data.access_token as string;
      const setup = await post('/mfa/setup', { password }, token);
      expect(setup.status, setup.text).toBe(200);
      const key = base32Decode(setup.body.data.secret as string);
      const valid = [-1, 0, 1].map((step) => totp(key, { time: clock.now() + step * 30_000 }));
      const wrong = ['000000', '111111', '222222', '333333'].find((c) => !valid.includes(c));
      answers.push(await post('/mfa/verify', { totp_code: wrong }, token, `198.51.100.${n}`));
    }
    for (const address of seen) expect(LOOPBACK).toContain(address);
    return answers;
  }

  it('counts attempts per socket peer when trustProxy is left at its default', async () => {
    const [first, second, third] = await thirdAttempt(undefined);
    expectErrorEnvelope(first as Answer, 400, 'MFA_INVALID_CODE');
    expectErrorEnvelope(second as Answer, 400, 'MFA_INVALID_CODE');
    expect(third?.status, third?.text).toBe(429);
    expect(third?.body.error.code).toBe('RATE_LIMITED');
  });

  it('counts per forwarded address only when a proxy is trusted (the contrast)', async () => {
    const answers = await thirdAttempt(1);
    for (const answer of answers) expectErrorEnvelope(answer, 400, 'MFA_INVALID_CODE');
  });
});

describe('graceful shutdown', () => {
  /** Resolves with the error code of a connection attempt, or `connected`. */
  function tryConnect(port: number): Promise<string> {
    return within(
      new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      }),
      5_000,
      'connection attempt',
    );
  }

  it('on SIGTERM stops accepting, finishes the request in flight, and exits 0', async () => {
    const fixture = runTypeScript(DRAIN_FIXTURE);
    children.push(fixture);
    const [url = ''] = await fixture.waitFor(/^http:\/\/\S+$/m, 30_000);
    const { port } = new URL(url);

    const slow = request(`${url}/api/v1/auth/validate`);
    slow.catch(() => {}); // awaited below; no unhandled rejection if an earlier step fails
    await fixture.waitFor(/^started \/api\/v1\/auth\/validate$/m, 10_000);
    fixture.signal('SIGTERM');
    await fixture.waitFor(/^draining$/m, 10_000);

    // The listener is closed while the slow request is still being answered.
    expect(await tryConnect(Number(port))).toBe('ECONNREFUSED');
    const answer = await within(slow, 10_000, 'the slow answer');
    expectErrorEnvelope(answer, 401, 'UNAUTHORIZED');
    // A keep-alive connection would hold the process open after its last answer.
    expect(answer.headers.get('Connection')).toBe('close');
    expect(await fixture.exit(15_000), fixture.output().stderr).toBe(0);
    expect(fixture.child.signalCode).toBeNull();
  }, 90_000);
});

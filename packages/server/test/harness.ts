import { base32Decode, totp } from '@twofold/otp';
import { scryptPasswordHasher } from '../src/crypto/password-hasher.js';
import type { TwofoldServerOptions } from '../src/options.js';
import { createTwofoldServer, type TwofoldServer } from '../src/server.js';
import { MemoryStore } from '../src/store/memory-store.js';
import type { Store } from '../src/store/store.js';

export const BASE = 'http://twofold.test';
export const SECRET = 'test secret: 32+ bytes of key material, not for production';
export const ENCRYPTION_KEY = 'test encryption key: also 32+ bytes of key material';

/** A settable clock, starting at a fixed moment. */
export function testClock(start = Date.UTC(2026, 10, 21, 12, 0, 0)) {
  let now = start;
  return {
    now: () => now,
    set: (ms: number) => {
      now = ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** scrypt at a low cost: the KDF code path is the real one, the tests stay fast. */
export const fastHasher = scryptPasswordHasher({ logN: 8, r: 8, p: 1 });

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary envelope members.
export type AnyBody = any;

/** A server on a memory store and a test clock, with helpers to call and drive it. */
export function testServer(options: Partial<TwofoldServerOptions> = {}) {
  const clock = testClock();
  const logs: string[] = [];
  const store: Store = options.store ?? new MemoryStore({ now: clock.now });
  const server: TwofoldServer = createTwofoldServer({
    secret: SECRET,
    encryptionKey: ENCRYPTION_KEY,
    mode: 'development',
    passwordHasher: fastHasher,
    now: clock.now,
    store,
    logger: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    ...options,
  });

  async function call(
    method: string,
    path: string,
    init: {
      body?: unknown;
      token?: string;
      headers?: Record<string, string>;
      raw?: BodyInit;
      client?: string;
    } = {},
  ): Promise<Reply<AnyBody>> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token !== undefined) headers.Authorization = `Bearer ${init.token}`;
    let body: BodyInit | undefined = init.raw;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const response = await server.fetch(
      new Request(`${BASE}/api/v1${path}`, { method, headers, body: body ?? null }),
      {
        clientAddress: init.client ?? '192.0.2.1',
      },
    );
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
      text,
    };
  }

  let counter = 0;

  /** Registers a fresh user and logs in (MFA off): tokens and ids. */
  async function newUser(prefix = 'user') {
    counter++;
    const username = `${prefix}${counter}_${Math.random().toString(36).slice(2, 8)}`;
    const email = `${username}@example.com`;
    const password = 'correct horse battery staple';
    const registered = await call('POST', '/auth/register', {
      body: { username, email, password },
    });
    if (registered.status !== 200) throw new Error(`register failed: ${registered.text}`);
    const login = await call('POST', '/auth/login', { body: { username, password } });
    if (login.status !== 200) throw new Error(`login failed: ${login.text}`);
    return {
      id: registered.body.data.user_id as string,
      username,
      email,
      password,
      accessToken: login.body.data.access_token as string,
      refreshToken: login.body.data.refresh_token as string,
    };
  }

  /** The TOTP code for a base32 secret at the server's current time (plus `offsetSteps`). */
  const codeFor = (secret: string, offsetSteps = 0) =>
    totp(base32Decode(secret), { time: clock.now() + offsetSteps * 30_000 });

  /** A user with MFA enabled: the setup secret and backup codes included. */
  async function userWithMfa(prefix = 'mfa') {
    const user = await newUser(prefix);
    const setup = await call('POST', '/mfa/setup', { token: user.accessToken });
    if (setup.status !== 200) throw new Error(`setup failed: ${setup.text}`);
    const secret = setup.body.data.secret as string;
    const verified = await call('POST', '/mfa/verify', {
      token: user.accessToken,
      body: { totp_code: codeFor(secret) },
    });
    if (verified.status !== 200) throw new Error(`verify failed: ${verified.text}`);
    // The next code must come from a later step (the one used is now replay-protected).
    clock.advance(30_000);
    return { ...user, secret, backupCodes: setup.body.data.backup_codes as string[] };
  }

  return { server, store, clock, logs, call, newUser, userWithMfa, codeFor };
}

export type TestServer = ReturnType<typeof testServer>;

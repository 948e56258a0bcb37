import { base32Decode, totp } from '@twofold/otp';
import { expect } from 'vitest';
import { appFromSource } from './process.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary envelope members.
export type AnyBody = any;

export interface Reply {
  status: number;
  headers: Headers;
  body: AnyBody;
}

/** No request of a test waits longer than this. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** JSON calls to one running server, each bounded by {@link REQUEST_TIMEOUT_MS}. */
export function api(baseUrl: string) {
  return async function call(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<Reply> {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let parsed: AnyBody;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`${method} ${path}: not JSON (HTTP ${response.status}): ${text}`);
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
}

export type Call = ReturnType<typeof api>;

/** The app from source on a free port; `url` once it says it is listening. */
export async function startApp(env: NodeJS.ProcessEnv, timeoutMs = 60_000) {
  const app = appFromSource(['--port', '0'], {
    TWOFOLD_MODE: 'development',
    PORT: '',
    HOST: '',
    TWOFOLD_PUBLIC_URL: '',
    TWOFOLD_CORS_ORIGINS: '',
    TWOFOLD_TRUST_PROXY: '',
    SMTP_URL: '',
    DATABASE_URL: '',
    TWOFOLD_SECRET: '',
    TWOFOLD_ENCRYPTION_KEY: '',
    ...env,
  });
  try {
    const [, url] = await app.waitFor(
      /^Twofold reference server listening on (http:\/\/127\.0\.0\.1:\d+)$/m,
      timeoutMs,
    );
    return { ...app, url: url as string, call: api(url as string) };
  } catch (error) {
    app.signal('SIGKILL');
    throw error;
  }
}

export type RunningApp = Awaited<ReturnType<typeof startApp>>;

/**
 * Stops the app's process group with `signal` and waits (bounded) until it is gone; if it
 * outlives a gentler signal, SIGKILL follows.
 */
export async function stopApp(
  app: Pick<RunningApp, 'signal' | 'exit' | 'child'> | undefined,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<void> {
  if (app === undefined) return;
  app.signal(signal);
  try {
    await app.exit(15_000);
  } catch (error) {
    if (signal === 'SIGKILL') throw error;
    app.signal('SIGKILL');
    await app.exit(5_000);
  }
}

/** The TOTP code of `secret` (base32) for now, or `offsetSteps` 30-second steps later. */
export function totpCode(secret: string, offsetSteps = 0): string {
  return totp(base32Decode(secret), { time: Date.now() + offsetSteps * 30_000 });
}

export const PASSWORD = 'correct horse battery staple';

/** Registers `username` and logs in (no MFA yet); the access token. */
export async function registerAndLogin(call: Call, username: string): Promise<string> {
  const registered = await call('POST', '/auth/register', {
    username,
    email: `${username}@example.com`,
    password: PASSWORD,
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(200);
  const login = await call('POST', '/auth/login', { username, password: PASSWORD });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return login.body.data.access_token as string;
}

/** Sets up and verifies TOTP with the current code; the secret and the backup codes. */
export async function enableMfa(
  call: Call,
  token: string,
  verifyOn: Call = call,
): Promise<{ secret: string; backupCodes: string[]; verifiedCode: string }> {
  const setup = await call('POST', '/mfa/setup', undefined, token);
  expect(setup.status, JSON.stringify(setup.body)).toBe(200);
  const secret = setup.body.data.secret as string;
  const verifiedCode = totpCode(secret);
  const verified = await verifyOn('POST', '/mfa/verify', { totp_code: verifiedCode }, token);
  expect(verified.body).toEqual({ success: true, message: 'MFA enabled successfully' });
  return { secret, backupCodes: setup.body.data.backup_codes as string[], verifiedCode };
}

/** Login step 1 for a user with MFA: asserts MFA_REQUIRED and returns the challenge id. */
export async function startChallenge(call: Call, username: string): Promise<string> {
  const step1 = await call('POST', '/auth/login', { username, password: PASSWORD });
  expect(step1.status, JSON.stringify(step1.body)).toBe(401);
  expect(step1.body.error.code).toBe('MFA_REQUIRED');
  return step1.body.error.details.challenge_id as string;
}

/** Login step 2. */
export function completeChallenge(
  call: Call,
  username: string,
  challengeId: string,
  mfaCode: string,
): Promise<Reply> {
  return call('POST', '/auth/login', {
    username,
    password: PASSWORD,
    challenge_id: challengeId,
    mfa_code: mfaCode,
  });
}

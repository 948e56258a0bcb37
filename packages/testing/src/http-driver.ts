import { API_PREFIX, MESSAGES } from '@twofold/contract';
import { base32Decode, totp } from '@twofold/otp';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary envelope members.
export type AnyBody = any;

/** One answer as tests read it: the parsed JSON body (undefined when empty) and the raw text. */
export interface Reply<T = AnyBody> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallInit {
  /** Sent as JSON (with `Content-Type: application/json` unless `headers` sets one). */
  body?: unknown;
  /** Sent as `Authorization: Bearer <token>`; none when undefined. */
  token?: string | undefined;
  headers?: Record<string, string>;
  /** A body sent as it is (malformed JSON, other media types, streams). */
  raw?: BodyInit;
  /** The client address an in-process server sees; over real HTTP the socket peer counts. */
  client?: string;
}

/**
 * How a request reaches the server: the global `fetch` over the network, or a call straight
 * into an in-process server (which is told the client address).
 */
export type Transport = (request: Request, clientAddress: string | undefined) => Promise<Response>;

/** What the driver computes TOTP codes at; with `advance`, it may move past a used step. */
export interface DriverClock {
  now(): number;
  advance?(ms: number): void;
}

export interface HttpDriverOptions {
  /** Where the server is; the driver adds `/api/v1`. */
  baseUrl: string;
  /** Default: the global fetch. */
  transport?: Transport;
  /** Default: the real time (a server in another process). */
  clock?: DriverClock;
  /** Every request is aborted after this long, so no test waits forever (default 30 s). */
  timeoutMs?: number;
}

/** The password of every user the driver registers. */
export const PASSWORD = 'correct horse battery staple';

/** No request of a test waits longer than this by default. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** A registered, logged-in user (no MFA). */
export interface DriverUser {
  id: string;
  username: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** What enabling MFA gave: the secret, the backup codes, and the code that confirmed it. */
export interface MfaEnrolment {
  secret: string;
  backupCodes: string[];
  verifiedCode: string;
}

export type MfaUser = DriverUser & MfaEnrolment;

let counter = 0;

/** A username no other test of this process uses: `<prefix><n>_<random>`. */
export function uniqueName(prefix = 'user'): string {
  counter++;
  return `${prefix}${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

const realTime: DriverClock = { now: () => Date.now() };

/**
 * The one HTTP test driver: JSON calls to a Twofold server, in-process or over the network,
 * and the few steps most tests start with (a user, a user with MFA, a login challenge). The
 * steps throw with the server's answer when it is not the expected one.
 *
 * @example
 * ```ts
 * const api = httpDriver({ baseUrl: app.url });
 * const user = await api.newUser();
 * const status = await api.call('GET', '/mfa/status', { token: user.accessToken });
 * ```
 */
export function httpDriver(options: HttpDriverOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const transport: Transport = options.transport ?? ((request) => fetch(request));
  const clock = options.clock ?? realTime;
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;

  async function call(method: string, path: string, init: CallInit = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token !== undefined) headers.Authorization = `Bearer ${init.token}`;
    let body: BodyInit | undefined = init.raw;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const request = new Request(`${baseUrl}${API_PREFIX}${path}`, {
      method,
      headers,
      body: body ?? null,
      signal: AbortSignal.timeout(timeoutMs),
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    const response = await transport(request, init.client);
    const text = await response.text();
    let parsed: AnyBody;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new Error(`${method} ${path}: not JSON (HTTP ${response.status}): ${text}`);
      }
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  const fail = (what: string, reply: Reply): never => {
    throw new Error(`${what}: HTTP ${reply.status} ${reply.text}`);
  };

  /** Registers `username` (address `<username>@example.com`) and logs in (no MFA yet). */
  async function registerAndLogin(username: string, password = PASSWORD): Promise<DriverUser> {
    const email = `${username}@example.com`;
    const registered = await call('POST', '/auth/register', {
      body: { username, email, password },
    });
    if (registered.status !== 200) fail(`register ${username}`, registered);
    const login = await call('POST', '/auth/login', { body: { username, password } });
    if (login.status !== 200) fail(`login ${username}`, login);
    return {
      id: registered.body.data.user_id as string,
      username,
      email,
      password,
      accessToken: login.body.data.access_token as string,
      refreshToken: login.body.data.refresh_token as string,
    };
  }

  /** A fresh user with a unique name, logged in (no MFA). */
  const newUser = (prefix = 'user'): Promise<DriverUser> => registerAndLogin(uniqueName(prefix));

  /** The TOTP code of `secret` (base32) at the driver's clock, `offsetSteps` 30-second steps on. */
  const codeFor = (secret: string, offsetSteps = 0): string =>
    totp(base32Decode(secret), { time: clock.now() + offsetSteps * 30_000 });

  /**
   * Sets up TOTP and confirms it with the current code (on `verifyOn`, another server of the
   * same deployment, when given); requires exactly the contract's success answer.
   */
  async function enableMfa(
    token: string,
    { verifyOn, password = PASSWORD }: { verifyOn?: { call: typeof call }; password?: string } = {},
  ): Promise<MfaEnrolment> {
    const setup = await call('POST', '/mfa/setup', { token, body: { password } });
    if (setup.status !== 200) fail('MFA setup', setup);
    const secret = setup.body.data.secret as string;
    const verifiedCode = codeFor(secret);
    const verified = await (verifyOn ?? { call }).call('POST', '/mfa/verify', {
      token,
      body: { totp_code: verifiedCode },
    });
    const body = verified.body;
    const enabled =
      verified.status === 200 &&
      body?.success === true &&
      body.message === MESSAGES.mfaEnabled &&
      Object.keys(body).length === 2;
    if (!enabled) fail('MFA verify', verified);
    return { secret, backupCodes: setup.body.data.backup_codes as string[], verifiedCode };
  }

  /**
   * A fresh user with MFA enabled. On a clock the driver may move, it then moves one step on, so
   * `codeFor(secret)` is a code the server has not seen used.
   */
  async function userWithMfa(prefix = 'mfa'): Promise<MfaUser> {
    const user = await newUser(prefix);
    const enrolment = await enableMfa(user.accessToken);
    clock.advance?.(30_000);
    return { ...user, ...enrolment };
  }

  /** Login step 1 of a user with MFA: requires 401 MFA_REQUIRED; the challenge id. */
  async function startChallenge(username: string, password = PASSWORD): Promise<string> {
    const step1 = await call('POST', '/auth/login', { body: { username, password } });
    if (step1.status !== 401 || step1.body?.error?.code !== 'MFA_REQUIRED')
      fail(`login step 1 of ${username}`, step1);
    return step1.body.error.details.challenge_id as string;
  }

  /** Login step 2: the challenge with a TOTP or backup code. */
  const completeChallenge = (
    username: string,
    challengeId: string,
    mfaCode: string,
    password = PASSWORD,
  ): Promise<Reply> =>
    call('POST', '/auth/login', {
      body: { username, password, challenge_id: challengeId, mfa_code: mfaCode },
    });

  return {
    baseUrl,
    call,
    registerAndLogin,
    newUser,
    codeFor,
    enableMfa,
    userWithMfa,
    startChallenge,
    completeChallenge,
  };
}

export type HttpDriver = ReturnType<typeof httpDriver>;

// The load generator of the server bench: autocannon in a worker thread, so that generating
// load and serving it do not share one event loop (the servers run on the main thread).
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { base32Decode, totp } from '@twofold/otp';
import autocannon from 'autocannon';

/** One (user, backup code) pair: a login round trip spends it. */
export interface LoginPair {
  username: string;
  password: string;
  code: string;
}

interface CommonJob {
  /** `http://127.0.0.1:port` */
  origin: string;
  connections: number;
  /** How long this run lasts. */
  seconds: number;
}

/** Repeated GETs of one path. */
export interface GetJob extends CommonJob {
  kind: 'get';
  path: string;
  headers: Record<string, string>;
}

/** Login round trips: step 1 (password, MFA_REQUIRED) then step 2 (challenge + backup code). */
export interface LoginJob extends CommonJob {
  kind: 'login';
  /** Never reused: each round trip takes the next one, from `firstPair` on. */
  pairs: LoginPair[];
  firstPair: number;
}

/** Repeated POSTs of JSON bodies, taken in turn (e.g. password logins of several users). */
export interface PostJob extends CommonJob {
  kind: 'post';
  path: string;
  headers: Record<string, string>;
  bodies: string[];
}

/** A user who logs in with a password and then a TOTP code of `secret` (base32). */
export interface TotpUser {
  login: string;
  password: string;
  secret: string;
}

/**
 * Logins with a TOTP code, two requests each, on Twofold (`/auth/login` → MFA_REQUIRED, then the
 * challenge and the code) or on Better Auth (`/sign-in/email` → a two-factor cookie, then
 * `/two-factor/verify-totp` with it). Users are taken in turn from `firstUser` on: Twofold
 * refuses a second login with the same code (replay protection), so none is reused in a run.
 */
export interface TotpLoginJob extends CommonJob {
  kind: 'totp-login';
  server: 'twofold' | 'better-auth';
  users: TotpUser[];
  firstUser: number;
}

export type LoadJob = GetJob | LoginJob | PostJob | TotpLoginJob;

export interface LoadResult {
  /** Successful operations (2xx GETs, or completed round trips) per second of the measured run. */
  perSecond: number;
  /** Latency of successful operations, in milliseconds. */
  p50: number;
  p99: number;
  succeeded: number;
  /** Failed operations by cause (status, error code, socket errors). */
  failures: Record<string, number>;
  /** Login only: the index of the first pair not handed out (the next run starts there). */
  nextPair: number;
  /** Login only: the pairs ran out, so the tail of the run re-sent spent codes. */
  exhausted: boolean;
}

/** Nearest-rank percentile of ascending `sorted`. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

/** What one run collects: latencies of successes (ms) and failures by cause. */
class Tally {
  readonly latencies: number[] = [];
  readonly failures: Record<string, number> = {};

  fail(cause: string): void {
    this.failures[cause] = (this.failures[cause] ?? 0) + 1;
  }

  result(seconds: number, nextPair = 0, exhausted = false): LoadResult {
    const sorted = Float64Array.from(this.latencies).sort();
    return {
      perSecond: sorted.length / seconds,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      succeeded: sorted.length,
      failures: this.failures,
      nextPair,
      exhausted,
    };
  }
}

/** Runs autocannon to its end; resolves with the run's duration in seconds. */
function run(
  options: autocannon.Options,
  tally: Tally,
  onInstance: (instance: autocannon.Instance) => void = () => {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => {
      if (error) reject(error);
      else resolve(result.duration);
    });
    instance.on('reqError', (error: { code?: string } | undefined) =>
      tally.fail(error?.code ?? 'request error'),
    );
    onInstance(instance);
  });
}

async function measureGet(job: GetJob): Promise<LoadResult> {
  const tally = new Tally();
  const options = {
    url: `${job.origin}${job.path}`,
    connections: job.connections,
    duration: job.seconds,
    headers: job.headers,
  };
  const seconds = await run(options, tally, (instance) => {
    // autocannon's own histogram keeps whole milliseconds; this keeps the fraction.
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) tally.latencies.push(ms);
      else tally.fail(`HTTP ${status}`);
    });
  });
  return tally.result(seconds);
}

interface RoundTripContext {
  pair?: LoginPair;
  start?: number;
  challenge?: string;
}

/** The error code, challenge and access token of an envelope, as far as it has them. */
function envelopeOf(body: string): { code?: string; challenge?: string; token?: string } {
  try {
    const parsed = JSON.parse(body) as {
      data?: { access_token?: string };
      error?: { code?: string; details?: { challenge_id?: string } };
    };
    return {
      ...(parsed.error?.code === undefined ? {} : { code: parsed.error.code }),
      ...(parsed.error?.details?.challenge_id === undefined
        ? {}
        : { challenge: parsed.error.details.challenge_id }),
      ...(parsed.data?.access_token === undefined ? {} : { token: parsed.data.access_token }),
    };
  } catch {
    return { code: 'unparsable body' };
  }
}

async function measureLogin(job: LoginJob): Promise<LoadResult> {
  const tally = new Tally();
  let next = job.firstPair;
  let exhausted = false;
  const last = job.pairs[job.pairs.length - 1];
  if (last === undefined) throw new Error('no (user, backup code) pairs to log in with');
  const path = '/api/v1/auth/login';
  const headers = { 'content-type': 'application/json' };
  const requests: autocannon.Request[] = [
    {
      method: 'POST',
      path,
      headers,
      setupRequest(request, raw) {
        const context = raw as RoundTripContext;
        let pair = job.pairs[next];
        if (pair === undefined) {
          // Out of codes: the run goes on with a spent one (and reports it), never reuses silently.
          exhausted = true;
          pair = last;
        } else {
          next++;
        }
        context.pair = pair;
        context.start = performance.now();
        const { username, password } = pair;
        return { ...request, body: JSON.stringify({ username, password }) };
      },
      onResponse(status, body, raw) {
        const context = raw as RoundTripContext;
        const { code, challenge } = envelopeOf(body);
        if (code === 'MFA_REQUIRED' && challenge !== undefined) context.challenge = challenge;
        else tally.fail(`step 1: HTTP ${status} ${code ?? ''}`.trim());
      },
    },
    {
      method: 'POST',
      path,
      headers,
      setupRequest(request, raw) {
        const { pair, challenge } = raw as RoundTripContext;
        // Step 1 failed: a falsy request makes autocannon start over with step 1.
        if (pair === undefined || challenge === undefined)
          return undefined as unknown as autocannon.Request;
        const body = {
          username: pair.username,
          password: pair.password,
          challenge_id: challenge,
          mfa_code: pair.code,
        };
        return { ...request, body: JSON.stringify(body) };
      },
      onResponse(status, body, raw) {
        const { start } = raw as RoundTripContext;
        const { code, token } = envelopeOf(body);
        if (status === 200 && token !== undefined && start !== undefined)
          tally.latencies.push(performance.now() - start);
        else tally.fail(`step 2: HTTP ${status} ${code ?? ''}`.trim());
      },
    },
  ];
  const options = {
    url: job.origin,
    connections: job.connections,
    duration: job.seconds,
    requests,
  };
  const seconds = await run(options, tally);
  return tally.result(seconds, next, exhausted);
}

async function measurePost(job: PostJob): Promise<LoadResult> {
  const tally = new Tally();
  let next = 0;
  const starts = new WeakMap<object, number>();
  const requests: autocannon.Request[] = [
    {
      method: 'POST',
      path: job.path,
      headers: { 'content-type': 'application/json', ...job.headers },
      setupRequest(request, context) {
        starts.set(context, performance.now());
        const body = job.bodies[next++ % job.bodies.length];
        return { ...request, body };
      },
      onResponse(status, _body, context) {
        const start = starts.get(context);
        if (status >= 200 && status < 300 && start !== undefined)
          tally.latencies.push(performance.now() - start);
        else tally.fail(`HTTP ${status}`);
      },
    },
  ];
  const seconds = await run(
    { url: job.origin, connections: job.connections, duration: job.seconds, requests },
    tally,
  );
  return tally.result(seconds);
}

interface TotpContext {
  user?: TotpUser;
  start?: number;
  /** Twofold: the challenge id; Better Auth: the two-factor cookie. */
  pending?: string;
}

/** `name=value` of each Set-Cookie, as a Cookie header. */
function cookieHeader(setCookie: string | string[] | undefined): string {
  const all = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  return all.map((cookie) => cookie.split(';')[0]).join('; ');
}

async function measureTotpLogin(job: TotpLoginJob): Promise<LoadResult> {
  const tally = new Tally();
  let next = job.firstUser;
  let exhausted = false;
  const twofold = job.server === 'twofold';
  const json = { 'content-type': 'application/json', origin: job.origin };
  const requests: autocannon.Request[] = [
    {
      method: 'POST',
      path: twofold ? '/api/v1/auth/login' : '/api/auth/sign-in/email',
      headers: json,
      setupRequest(request, raw) {
        const context = raw as TotpContext;
        const user = job.users[next % job.users.length];
        if (user === undefined) throw new Error('no users to log in');
        // Twofold refuses a replayed code; Better Auth has no such check, so its users come round again.
        if (twofold && next - job.firstUser >= job.users.length) exhausted = true;
        next++;
        context.user = user;
        context.start = performance.now();
        delete context.pending;
        const credentials = twofold
          ? { username: user.login, password: user.password }
          : { email: user.login, password: user.password };
        return { ...request, body: JSON.stringify(credentials) };
      },
      onResponse(status, body, raw, headers) {
        const context = raw as TotpContext;
        if (twofold) {
          const { code, challenge } = envelopeOf(body);
          if (code === 'MFA_REQUIRED' && challenge !== undefined) context.pending = challenge;
          else tally.fail(`step 1: HTTP ${status} ${code ?? ''}`.trim());
        } else {
          const cookie = cookieHeader(headers?.['set-cookie']);
          if (status === 200 && body.includes('twoFactorRedirect') && cookie.includes('two_factor'))
            context.pending = cookie;
          else tally.fail(`step 1: HTTP ${status}`);
        }
      },
    },
    {
      method: 'POST',
      path: twofold ? '/api/v1/auth/login' : '/api/auth/two-factor/verify-totp',
      headers: json,
      setupRequest(request, raw) {
        const { user, pending } = raw as TotpContext;
        // Step 1 failed: a falsy request makes autocannon start over with step 1.
        if (user === undefined || pending === undefined)
          return undefined as unknown as autocannon.Request;
        const code = totp(base32Decode(user.secret));
        if (twofold) {
          const body = {
            username: user.login,
            password: user.password,
            challenge_id: pending,
            mfa_code: code,
          };
          return { ...request, body: JSON.stringify(body) };
        }
        return {
          ...request,
          headers: { ...json, cookie: pending },
          body: JSON.stringify({ code }),
        };
      },
      onResponse(status, body, raw) {
        const { start } = raw as TotpContext;
        const signedIn = twofold ? envelopeOf(body).token !== undefined : body.includes('"token"');
        if (status === 200 && signedIn && start !== undefined)
          tally.latencies.push(performance.now() - start);
        else
          tally.fail(
            `step 2: HTTP ${status} ${twofold ? (envelopeOf(body).code ?? '') : ''}`.trim(),
          );
      },
    },
  ];
  const seconds = await run(
    { url: job.origin, connections: job.connections, duration: job.seconds, requests },
    tally,
  );
  return tally.result(seconds, next, exhausted);
}

const MEASURES: {
  [Kind in LoadJob['kind']]: (job: Extract<LoadJob, { kind: Kind }>) => Promise<LoadResult>;
} = {
  get: measureGet,
  login: measureLogin,
  post: measurePost,
  'totp-login': measureTotpLogin,
};

// One run per message; the main thread closes the port when it is done with the worker.
const port = parentPort;
if (port === null) throw new Error('load-worker.ts runs in a worker thread');
port.on('message', async (job: LoadJob) => {
  try {
    const measure = MEASURES[job.kind] as (job: LoadJob) => Promise<LoadResult>;
    port.postMessage(await measure(job));
  } catch (error) {
    port.postMessage({ error: String(error) });
  }
});

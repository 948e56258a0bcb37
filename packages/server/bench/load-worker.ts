// The load generator of the server bench: autocannon in a worker thread, so that generating
// load and serving it do not share one event loop (the servers run on the main thread).
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
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

export type LoadJob = GetJob | LoginJob;

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

// One run per message; the main thread closes the port when it is done with the worker.
const port = parentPort;
if (port === null) throw new Error('load-worker.ts runs in a worker thread');
port.on('message', async (job: LoadJob) => {
  try {
    port.postMessage(await (job.kind === 'get' ? measureGet(job) : measureLogin(job)));
  } catch (error) {
    port.postMessage({ error: String(error) });
  }
});

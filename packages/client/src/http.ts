/**
 * One HTTP call of the SDK over `fetch`: a timeout per attempt, and retries of GETs on network
 * failures and 408/429/502/503/504 with exponential backoff or the server's `Retry-After`.
 * What ky did for the SDK, without its cost: ky builds a Request, clones it and merges its
 * options on every call (~100 µs of CPU a call, 7x a plain fetch; `pnpm bench`), here the
 * call goes to `fetch(url, init)` as it is.
 */

/** A non-2xx answer that is final (not retried, or retried enough). */
export class HttpStatusError extends Error {
  readonly response: Response;

  constructor(response: Response) {
    super(`HTTP ${response.status}`);
    this.name = 'HttpStatusError';
    this.response = response;
  }
}

/** No answer within the timeout of an attempt. */
export class TimeoutError extends Error {
  constructor() {
    super('No answer in time');
    this.name = 'TimeoutError';
  }
}

export interface HttpPolicy {
  fetch: typeof globalThis.fetch;
  /** Per attempt, in ms, or false for none. */
  timeout: number | false;
  /** Retries of a GET after its first attempt. */
  retryLimit: number;
  /** The longest `Retry-After` worth waiting for, in ms; a longer one is final at once. */
  maxRetryAfterMs: number;
}

export interface HttpCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** Not 500: auth-framework answers business errors with 500, and those are final. */
const RETRIED_STATUSES = new Set([408, 429, 502, 503, 504]);
/** The statuses whose `Retry-After` says when to try again. */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

/** `Retry-After` in ms (seconds or an HTTP date), or undefined when absent or unreadable. */
function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get('Retry-After');
  if (header === null) return undefined;
  const seconds = Number(header);
  if (header.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** 300 ms, 600 ms, 1.2 s, … after the first, second, third failed attempt. */
const backoffMs = (attempt: number) => 300 * 2 ** attempt;

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      signal?.removeEventListener('abort', abort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/** One attempt: `fetch` until the answer's headers arrive, or TimeoutError. */
async function attempt(policy: HttpPolicy, call: HttpCall): Promise<Response> {
  const init: RequestInit = { method: call.method, headers: call.headers };
  if (call.body !== undefined) init.body = call.body;
  if (policy.timeout === false) {
    if (call.signal !== undefined) init.signal = call.signal;
    return policy.fetch(call.url, init);
  }
  const timer = new AbortController();
  init.signal =
    call.signal === undefined ? timer.signal : AbortSignal.any([call.signal, timer.signal]);
  let timedOut = false;
  const timeout = setTimeout(() => {
    timedOut = true;
    timer.abort();
  }, policy.timeout);
  try {
    return await policy.fetch(call.url, init);
  } catch (error) {
    throw timedOut ? new TimeoutError() : error;
  } finally {
    clearTimeout(timeout);
  }
}

/**
 * The answer to `call`: a 2xx response, or thrown — `HttpStatusError` for a final non-2xx,
 * `TimeoutError`, or what `fetch` threw (a network failure, the caller's abort).
 */
export async function send(policy: HttpPolicy, call: HttpCall): Promise<Response> {
  const retries = call.method === 'GET' ? policy.retryLimit : 0;
  for (let attempted = 0; ; attempted++) {
    let wait: number;
    try {
      const response = await attempt(policy, call);
      if (response.ok) return response;
      if (attempted >= retries || !RETRIED_STATUSES.has(response.status)) {
        throw new HttpStatusError(response);
      }
      const after = RETRY_AFTER_STATUSES.has(response.status) ? retryAfterMs(response) : undefined;
      // A wait longer than we are willing to spend: fail now and let the caller decide.
      if (after !== undefined && after > policy.maxRetryAfterMs) {
        throw new HttpStatusError(response);
      }
      wait = after ?? backoffMs(attempted);
      await response.body?.cancel();
    } catch (error) {
      const final =
        error instanceof HttpStatusError ||
        error instanceof TimeoutError ||
        call.signal?.aborted === true ||
        attempted >= retries;
      if (final) throw error;
      wait = backoffMs(attempted);
    }
    await sleep(wait, call.signal);
  }
}

import {
  isEnvelope,
  type OptionalRequestBody,
  type PathParams,
  type RequestBody,
  type ResponseData,
  ROUTES,
  type RouteId,
  routePath,
  type SuccessEnvelope,
} from '@twofold/contract';
import { TwofoldError } from './errors.js';
import { type HttpPolicy, HttpStatusError, send, TimeoutError } from './http.js';

/** How GET requests are retried (only GETs are: a login or a code check never is). */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  limit?: number;
  /** The longest `Retry-After` worth waiting for, in ms; a longer one fails at once. Default 10 000. */
  maxRetryAfterMs?: number;
}

export interface TransportOptions {
  baseUrl: string;
  fetch?: typeof globalThis.fetch;
  /** Per attempt, in ms, or false for none. Default 10 000. */
  timeout?: number | false;
  retry?: number | RetryOptions;
  headers?: Record<string, string>;
}

/**
 * A call of route `Id`: its body (when the route takes one), its path parameters (when its path
 * has any), a bearer token, a signal.
 */
export type CallOptions<Id extends RouteId> = {
  token?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Query parameters (the dev outbox's `to`). */
  query?: Record<string, string>;
} & (RequestBody<Id> extends undefined
  ? { body?: OptionalRequestBody<Id> }
  : { body: RequestBody<Id> }) &
  (keyof PathParams<Id> extends never ? { params?: undefined } : { params: PathParams<Id> });

/** Calls a route of the contract; resolves with that route's `data` (undefined for message-only routes). */
export type Call = <Id extends RouteId>(
  route: Id,
  options: CallOptions<Id>,
) => Promise<ResponseData<Id>>;

function retryAfterSeconds(response: Response, details: unknown): number | undefined {
  const header = Number(response.headers.get('Retry-After'));
  if (Number.isFinite(header) && header >= 0 && response.headers.has('Retry-After')) return header;
  const fromDetails = (details as { retry_after_seconds?: unknown } | undefined)
    ?.retry_after_seconds;
  return typeof fromDetails === 'number' ? fromDetails : undefined;
}

/** The envelope of a response: success returned, failure thrown, anything else INVALID_RESPONSE. */
async function readEnvelope(response: Response): Promise<SuccessEnvelope> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page, an empty 502): no envelope, reported just below.
  }
  if (!isEnvelope(body)) {
    throw new TwofoldError({
      code: 'INVALID_RESPONSE',
      message: `The server answered ${response.status} without a Twofold envelope`,
      status: response.status,
      details: body,
    });
  }
  if (body.success) return body;
  const { code, message, details } = body.error;
  const retryAfter = retryAfterSeconds(response, details);
  throw new TwofoldError({
    code,
    message,
    status: response.status,
    details,
    ...(retryAfter === undefined ? {} : { retryAfter }),
  });
}

/**
 * The API root of `baseUrl` (`…/api/v1/`): the server's origin, with or without a path prefix
 * and with or without `/api/v1` and trailing slashes, as people copy it from a banner or a
 * browser bar. Anything else is refused at construction, naming the value, rather than turning
 * into a puzzling NETWORK_ERROR on the first call.
 */
export function apiRoot(baseUrl: unknown): string {
  // A scheme and a host, then a path at most: no credentials (fetch rejects them), no query or
  // fragment (they would end up inside every path), no `localhost:8787` without `http://`.
  // (A value that is not a string fails the test as its String() form.)
  if (!/^https?:\/\/[^/?#@]+(\/[^?#]*)?$/.test(baseUrl as string)) {
    throw new TypeError(`baseUrl ${baseUrl}: not an absolute http(s) URL`);
  }
  return `${(baseUrl as string).replace(/(\/api\/v1)?\/*$/, '')}/api/v1/`;
}

async function classify(error: unknown, signal: AbortSignal | undefined): Promise<TwofoldError> {
  if (error instanceof TwofoldError) return error;
  if (error instanceof HttpStatusError) {
    try {
      await readEnvelope(error.response);
    } catch (envelopeError) {
      return classify(envelopeError, signal);
    }
    // A non-2xx answer whose envelope says success: treat as unreadable.
    return new TwofoldError({
      code: 'INVALID_RESPONSE',
      message: 'Success with an error status',
      status: error.response.status,
    });
  }
  if (error instanceof TimeoutError) {
    return new TwofoldError({
      code: 'TIMEOUT',
      message: 'No answer in time',
      cause: error,
    });
  }
  if (signal?.aborted || (error as { name?: unknown } | null)?.name === 'AbortError') {
    return new TwofoldError({ code: 'ABORTED', message: 'The request was aborted', cause: error });
  }
  return new TwofoldError({
    code: 'NETWORK_ERROR',
    // In a page, a refused CORS check looks exactly like a server that is down: name both
    // (one message everywhere: the bundle has no room for a Node variant).
    message: 'No answer: server down, wrong baseUrl or CORS?',
    cause: error,
  });
}

/**
 * Calls routes of the contract over `fetch` (`http.ts`) and turns every outcome into a success
 * envelope or a {@link TwofoldError}.
 */
export function createTransport(options: TransportOptions): Call {
  const retry =
    typeof options.retry === 'number' ? { limit: options.retry } : (options.retry ?? {});
  const root = apiRoot(options.baseUrl);
  const policy: HttpPolicy = {
    // Looked up per call, not bound once: a test or polyfill may replace the global later.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeout: options.timeout ?? 10_000,
    retryLimit: retry.limit ?? 2,
    maxRetryAfterMs: retry.maxRetryAfterMs ?? 10_000,
  };

  return async <Id extends RouteId>(route: Id, call: CallOptions<Id>) => {
    const definition = ROUTES[route];
    const path = routePath(route, (call.params ?? {}) as PathParams<Id>);
    const query = call.query === undefined ? '' : `?${new URLSearchParams(call.query)}`;
    const headers: Record<string, string> = { ...options.headers };
    if (call.token) headers.Authorization = `Bearer ${call.token}`;
    let body: string | undefined;
    if (call.body) {
      body = JSON.stringify(call.body);
      headers['Content-Type'] = 'application/json';
    }
    try {
      // A custom fetch may ignore the signal; an aborted call must not reach the server.
      call.signal?.throwIfAborted();
      const response = await send(policy, {
        method: definition.method,
        url: root + path.slice(1) + query,
        headers,
        body,
        signal: call.signal,
      });
      const envelope = await readEnvelope(response);
      if ('answers' in definition) return undefined as ResponseData<Id>;
      if (envelope.data === undefined) {
        throw new TwofoldError({
          code: 'INVALID_RESPONSE',
          message: 'Success without data',
          status: response.status,
        });
      }
      return envelope.data as ResponseData<Id>;
    } catch (error) {
      throw await classify(error, call.signal);
    }
  };
}

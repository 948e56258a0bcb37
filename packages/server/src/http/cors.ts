import type { IncomingRequest } from './exchange.js';
/** Which browser origins may call the API. */
export interface CorsOptions {
  /** Exact `scheme://host[:port]` origins, e.g. `https://app.example` (no path, no trailing slash). */
  origins?: readonly string[];
  /**
   * Also allow every origin on `localhost`, `127.0.0.1` and `[::1]`, any port, http or https
   * (a dev server such as Vite on `http://localhost:5173`). Default: true in development mode,
   * false in production.
   */
  loopback?: boolean;
}

/** The CORS policy as the server applies it. */
export interface CorsPolicy {
  origins: readonly string[];
  loopback: boolean;
}

const ALLOWED_HEADERS = 'Authorization, Content-Type';

/** A browser-serialised origin on a loopback host (a browser never sends a path or a slash). */
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/** A method token as `Access-Control-Request-Method` may carry it (RFC 9110 `token`). */
const METHOD_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/;

/** Whether the policy lets a page on `origin` read the API's answers. */
export function allowsOrigin(origin: string, cors: CorsPolicy): boolean {
  return cors.origins.includes(origin) || (cors.loopback && LOOPBACK_ORIGIN.test(origin));
}

/** CORS headers for a request's `Origin`, or none when the origin is not allowed. */
export function corsHeaders(
  request: Pick<IncomingRequest, 'headers'>,
  cors: CorsPolicy,
): Record<string, string> {
  const origin = request.headers.get('Origin');
  const headers: Record<string, string> = { Vary: 'Origin' };
  if (origin === null || !allowsOrigin(origin, cors)) return headers;
  headers['Access-Control-Allow-Origin'] = origin;
  headers['Access-Control-Expose-Headers'] = 'Retry-After';
  return headers;
}

/** Whether a request is a CORS preflight: `OPTIONS` with `Origin` and the method to come. */
export function isPreflight(request: Pick<IncomingRequest, 'method' | 'headers'>): boolean {
  return (
    request.method === 'OPTIONS' &&
    request.headers.has('Origin') &&
    request.headers.has('Access-Control-Request-Method')
  );
}

/**
 * The answer to a CORS preflight of a path served with `methods` (none for an unknown path).
 * The method asked about is allowed too: the request then reaches the server and the page
 * reads its real answer (a 404 or 405 envelope) instead of a network error.
 */
export function preflightHeaders(
  request: Pick<IncomingRequest, 'headers'>,
  cors: CorsPolicy,
  methods: readonly string[],
): Record<string, string> {
  const headers = corsHeaders(request, cors);
  if (headers['Access-Control-Allow-Origin'] === undefined) return headers;
  const asked = request.headers.get('Access-Control-Request-Method') ?? '';
  const allowed = new Set(methods);
  if (METHOD_TOKEN.test(asked)) allowed.add(asked);
  allowed.add('OPTIONS');
  return {
    ...headers,
    'Access-Control-Allow-Methods': [...allowed].join(', '),
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
  };
}

/** A one-line description of the policy, for a start banner. */
export function describeCors(cors: CorsPolicy): string {
  const parts = [
    ...(cors.loopback ? ['localhost, 127.0.0.1 and [::1] on any port'] : []),
    ...cors.origins,
  ];
  return parts.length === 0 ? 'no browser origins' : parts.join(', ');
}

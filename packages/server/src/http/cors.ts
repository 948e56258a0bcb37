/** Which browser origins may call the API (exact `scheme://host:port` matches). */
export interface CorsOptions {
  origins: readonly string[];
}

const ALLOWED_HEADERS = 'Authorization, Content-Type';

/** CORS headers for a request's `Origin`, or none when the origin is not allowed. */
export function corsHeaders(
  request: Request,
  cors: CorsOptions | undefined,
): Record<string, string> {
  const origin = request.headers.get('Origin');
  const headers: Record<string, string> = { Vary: 'Origin' };
  if (origin === null || cors === undefined || !cors.origins.includes(origin)) return headers;
  headers['Access-Control-Allow-Origin'] = origin;
  headers['Access-Control-Expose-Headers'] = 'Retry-After';
  return headers;
}

/**
 * The answer to a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`) of a route
 * served with `methods`.
 */
export function preflightHeaders(
  request: Request,
  cors: CorsOptions | undefined,
  methods: readonly string[],
): Record<string, string> {
  const headers = corsHeaders(request, cors);
  if (headers['Access-Control-Allow-Origin'] === undefined) return headers;
  return {
    ...headers,
    'Access-Control-Allow-Methods': [...methods, 'OPTIONS'].join(', '),
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
  };
}

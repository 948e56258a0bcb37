import {
  hasRequestBody,
  MESSAGES,
  matchRoute,
  type PathParams,
  type RequestBody,
  ROUTE_DOCS,
  ROUTES,
  type RouteDefinition,
  type RouteDocs,
  type RouteId,
  successData,
  successMessage,
  validateOptionalRequest,
  validateRequest,
} from '@twofold/contract';
import { createAdmin, type ServerAdmin } from './admin.js';
import { HasherBusyError } from './crypto/bounded-hasher.js';
import { LimitExceeded } from './domain/limit-exceeded.js';
import type { Handler, RequestContext } from './handlers/handler.js';
import { HANDLERS } from './handlers/routes.js';
import { ApiError, rateLimited } from './http/api-error.js';
import { type Authenticated, authenticate } from './http/authenticate.js';
import { clientAddress } from './http/client-address.js';
import { corsHeaders, describeCors, isPreflight, preflightHeaders } from './http/cors.js';
import { type Answer, fromWebRequest, type IncomingRequest, toResponse } from './http/exchange.js';
import { readJsonBody } from './http/read-body.js';
import { envelopeAnswer, errorAnswer, SECURITY_HEADERS } from './http/respond.js';
import { VERIFY_PAGE_PATH, verifyPage } from './http/verify-page.js';
import { type Logger, resolveOptions, type TwofoldServerOptions } from './options.js';
import { buildServices, type Services } from './services.js';
import { StoreUnavailableError } from './store/store.js';

/** What the adapter knows about the connection. */
export interface ConnectionInfo {
  /** The socket peer address. */
  clientAddress?: string | undefined;
}

/** A runtime-agnostic Twofold server: one fetch handler. */
export interface TwofoldServer {
  fetch(request: Request, connection?: ConnectionInfo): Promise<Response>;
  /**
   * `fetch` without Web `Request`/`Response` objects, for adapters: the request as the server
   * reads it, the answer as plain status, headers and string body. `serve()` uses it; building
   * a `Request` and reading a `Response` back cost more CPU than answering most routes.
   */
  handle(request: IncomingRequest, connection?: ConnectionInfo): Promise<Answer>;
  /** Resolves once keys are derived; `fetch` waits for it by itself. */
  ready: Promise<void>;
  /** Seeding and inspection for tests and mocks (not reachable over HTTP). */
  admin: ServerAdmin;
  /**
   * Stops the server's background work (the mail worker) and waits for a pass under way; the
   * store stays open (it is the caller's). Mail still queued is sent by another instance, or
   * by this one's next start.
   */
  close(): Promise<void>;
  /**
   * The headers the server puts on every answer to `request`: the security headers, and CORS
   * when the request's `Origin` is allowed. For a document served beside the API (such as
   * `/api/openapi.json`) so that it is readable and protected like the API itself.
   *
   * @example
   * ```ts
   * import { createTwofoldServer } from '@twofold/server';
   * const server = createTwofoldServer({ mode: 'development', secret: 'a long random secret of at least 32 bytes', encryptionKey: 'another long random key of 32+ bytes' });
   * const request = new Request('http://127.0.0.1:8787/api/openapi.json', { headers: { Origin: 'http://localhost:5173' } });
   * const response = new Response('{}', { headers: server.responseHeaders(request) });
   * response.headers.get('Access-Control-Allow-Origin'); // 'http://localhost:5173'
   * response.headers.get('X-Content-Type-Options'); // 'nosniff'
   * ```
   */
  responseHeaders(request: Pick<IncomingRequest, 'headers'>): Record<string, string>;
  /**
   * The browser origins allowed by CORS, as one line for a start banner, e.g.
   * `localhost, 127.0.0.1 and [::1] on any port` in development.
   */
  allowedOrigins: string;
}

/** What the core knows of a request once its route is matched and its body read. */
interface Incoming {
  request: IncomingRequest;
  url: URL;
  body: unknown;
  params: Record<string, string>;
  client: string | undefined;
  services: Services;
}

/** The route's body, validated, or `VALIDATION_ERROR`; undefined for routes without one. */
function validBody<Id extends RouteId>(id: Id, body: unknown): RequestBody<Id> {
  if (!hasRequestBody(id)) return undefined as RequestBody<Id>;
  const result = validateRequest(id, body);
  if (!result.ok) throw new ApiError('VALIDATION_ERROR', result.message);
  return result.value as RequestBody<Id>;
}

/**
 * Runs route `id`: validation and authentication as the route table says (in the crate's
 * order where it validates first), then the handler, whose result becomes the envelope.
 */
async function dispatch<Id extends RouteId>(id: Id, incoming: Incoming): Promise<Answer> {
  const docs: RouteDocs = ROUTE_DOCS[id];
  const route: RouteDefinition = ROUTES[id];
  const validatesFirst = docs.validatesBeforeAuth === true;
  let body = validatesFirst ? validBody(id, incoming.body) : undefined;
  let authenticated: Authenticated | undefined;
  if (route.auth === 'bearer') {
    authenticated = await authenticate(incoming.request, incoming.services);
  }
  if (!validatesFirst) body = validBody(id, incoming.body);
  const optional = validateOptionalRequest(id, incoming.body);
  if (!optional.ok) throw new ApiError('VALIDATION_ERROR', optional.message);
  const handler: Handler<Id> = HANDLERS[id];
  // Listed, not spread: spreading `incoming` here cost ~5 µs a request, a third of a status read.
  const data = await handler({
    request: incoming.request,
    url: incoming.url,
    client: incoming.client,
    services: incoming.services,
    body: body as RequestBody<Id>,
    optionalBody: optional.value,
    // matchRoute filled in exactly the parameters of this route's path.
    params: incoming.params as PathParams<Id>,
    user: authenticated?.user as RequestContext<Id>['user'],
    mfa: authenticated?.mfa as RequestContext<Id>['mfa'],
    session: authenticated?.session as RequestContext<Id>['session'],
  });
  // The table says which routes answer only a message (ROUTE_DOCS is made to agree with it).
  return envelopeAnswer(
    route.answers === 'message' ? successMessage(docs.successMessage ?? '') : successData(data),
  );
}

/**
 * An error as it may be logged: its kind, message and stack. Not its other fields: a database
 * error carries the statement's parameters, password hashes and tokens among them.
 */
function loggable(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(`a ${typeof error} was thrown`);
  const safe = new Error(error.message);
  safe.name = error.name;
  if (error.stack !== undefined) safe.stack = error.stack;
  return safe;
}

/** How long a client should wait before trying again while the store is unreachable. */
const UNAVAILABLE_RETRY_SECONDS = 5;

/** The envelope answer to anything a request threw. */
function failure(thrown: unknown, logger: Logger): Answer {
  const error = thrown instanceof LimitExceeded ? rateLimited(thrown.retryAfterMs) : thrown;
  if (error instanceof StoreUnavailableError) {
    return errorAnswer('SERVICE_UNAVAILABLE', MESSAGES.serviceUnavailable, {
      headers: { 'Retry-After': String(UNAVAILABLE_RETRY_SECONDS) },
    });
  }
  if (error instanceof HasherBusyError) {
    return errorAnswer('SERVICE_UNAVAILABLE', MESSAGES.serviceUnavailable, {
      headers: { 'Retry-After': '1' },
    });
  }
  if (error instanceof ApiError) {
    return errorAnswer(error.code, error.message, {
      details: error.details,
      headers: error.headers,
    });
  }
  logger.error('unexpected error while handling a request', loggable(error));
  return errorAnswer('INTERNAL_ERROR', MESSAGES.internalError);
}

/**
 * The Twofold reference server as one fetch handler (Web `Request` → `Response`), for any
 * runtime: `@twofold/server/node` serves it over `node:http`, the mock runs it inside MSW.
 * Every response is an envelope (spec §1), including framework failures. Bad options throw a
 * `TwofoldConfigError` here, never on a request.
 *
 * @example
 * ```ts
 * import { createTwofoldServer } from '@twofold/server';
 * const server = createTwofoldServer({
 *   mode: 'production',
 *   mailer: { send: async (email) => console.log(email.link) },
 *   secret: 'a long random secret of at least 32 bytes',
 *   encryptionKey: 'another long random key of 32+ bytes',
 * });
 * const response = await server.fetch(new Request('http://localhost/api/v1/mfa/status'));
 * response.status; // 401
 * ```
 */
export function createTwofoldServer(options: TwofoldServerOptions): TwofoldServer {
  const config = resolveOptions(options);
  const servicesReady = buildServices(config, options.store);
  let storeAway = false;

  async function answerFor(request: IncomingRequest, connection: ConnectionInfo | undefined) {
    const url = new URL(request.url);
    if (url.pathname === VERIFY_PAGE_PATH) {
      return verifyPage(request, url, async () => {
        const { emailTokens } = await servicesReady;
        return {
          productName: config.productName,
          bodyBytes: config.limits.bodyBytes,
          redeem: (token) => emailTokens.redeem(token),
        };
      });
    }
    const match = matchRoute(request.method, url.pathname, { development: config.development });
    if (match.kind === 'none') return errorAnswer('NOT_FOUND', MESSAGES.notFound);
    if (match.kind === 'wrong-method') {
      return errorAnswer('METHOD_NOT_ALLOWED', MESSAGES.methodNotAllowed, {
        headers: { Allow: match.allow.join(', ') },
      });
    }
    const body =
      request.method === 'GET' ? {} : await readJsonBody(request, config.limits.bodyBytes);
    return dispatch(match.id, {
      request,
      url,
      body,
      params: match.params,
      client: clientAddress(request, connection?.clientAddress, config.trustProxy),
      services: await servicesReady,
    });
  }

  async function handle(request: IncomingRequest, connection?: ConnectionInfo): Promise<Answer> {
    const cors = corsHeaders(request, config.cors);
    if (request.method === 'OPTIONS') {
      const pathname = new URL(request.url).pathname;
      const route = matchRoute('OPTIONS', pathname, { development: config.development });
      // A preflight anywhere under /api, or an OPTIONS probe of a route that exists: 204 with
      // what it allows. A browser only sends the real request after a 2xx preflight, so an
      // unknown path must pass too for the page to read the 404 envelope, not a network error.
      if (route.kind === 'wrong-method' || (isPreflight(request) && pathname.startsWith('/api/'))) {
        const allow = route.kind === 'wrong-method' ? route.allow : [];
        return {
          status: 204,
          headers: {
            ...SECURITY_HEADERS,
            ...(allow.length > 0 ? { Allow: [...allow, 'OPTIONS'].join(', ') } : {}),
            ...preflightHeaders(request, config.cors, allow),
          },
          body: null,
        };
      }
    }
    let answer: Answer;
    try {
      answer = await answerFor(request, connection);
      if (storeAway) {
        storeAway = false;
        config.logger.info('the store is reachable again');
      }
    } catch (error) {
      // Said once per outage, not once per refused request.
      if (error instanceof StoreUnavailableError && !storeAway) {
        storeAway = true;
        const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
        config.logger.warn(`the store is unreachable${cause}; answering 503 until it is back`);
      }
      answer = failure(error, config.logger);
    }
    Object.assign(answer.headers, cors);
    return answer;
  }

  // Every instance sends queued mail; the worker's timer does not keep a process alive.
  const ready = servicesReady.then((services) => services.mail.start());
  // Whoever awaits `ready` (or sends a request) sees a failure to open the store; nobody
  // awaiting it must not make it an unhandled rejection that ends the process.
  ready.catch(() => {});
  return {
    fetch: async (request, connection) =>
      toResponse(await handle(fromWebRequest(request), connection)),
    handle,
    ready,
    admin: createAdmin(servicesReady),
    async close() {
      await servicesReady.then(
        (services) => services.mail.stop(),
        () => {},
      );
    },
    responseHeaders: (request) => ({ ...SECURITY_HEADERS, ...corsHeaders(request, config.cors) }),
    allowedOrigins: describeCors(config.cors),
  };
}

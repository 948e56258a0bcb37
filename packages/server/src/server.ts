import { LIMITS, MESSAGES, matchRoute } from '@twofold/contract';
import { createAdmin, type ServerAdmin } from './admin.js';
import { boundedHasher } from './crypto/bounded-hasher.js';
import { scryptPasswordHasher } from './crypto/password-hasher.js';
import { randomToken } from './crypto/random.js';
import { deriveServerKeys, keyMaterial } from './crypto/server-keys.js';
import { AttemptLimiter } from './domain/attempt-limiter.js';
import { Challenges } from './domain/challenges.js';
import { EmailTokens } from './domain/email-tokens.js';
import { MfaService } from './domain/mfa.js';
import { TokenService } from './domain/tokens.js';
import { Users } from './domain/users.js';
import type { RequestContext, Services } from './handlers/context.js';
import { HANDLERS } from './handlers/routes.js';
import { ApiError } from './http/api-error.js';
import { clientAddress } from './http/client-address.js';
import { corsHeaders, preflightHeaders } from './http/cors.js';
import { readJsonBody } from './http/read-body.js';
import { envelopeResponse, errorResponse, SECURITY_HEADERS } from './http/respond.js';
import { DevOutbox, outboxMailer } from './mail/dev-outbox.js';
import type { Mailer } from './mail/mailer.js';
import type { Logger, TwofoldServerOptions } from './options.js';
import { MemoryStore } from './store/memory-store.js';

/** What the adapter knows about the connection. */
export interface ConnectionInfo {
  /** The socket peer address. */
  clientAddress?: string | undefined;
}

/** A runtime-agnostic Twofold server: one fetch handler. */
export interface TwofoldServer {
  fetch(request: Request, connection?: ConnectionInfo): Promise<Response>;
  /** Resolves once keys are derived; `fetch` waits for it by itself. */
  ready: Promise<void>;
  /** Seeding and inspection for tests and mocks (not reachable over HTTP). */
  admin: ServerAdmin;
}

const consoleLogger: Logger = {
  info: (message) => console.info(message),
  warn: (message) => console.warn(message),
  error: (message, error) => console.error(message, error),
};

/** In development the outbox records every email; a configured mailer also delivers it. */
function developmentMailer(outbox: DevOutbox, mailer: Mailer | undefined, logger: Logger): Mailer {
  const record = outboxMailer(outbox, (line) => logger.info(line));
  if (mailer === undefined) return record;
  return {
    async send(email) {
      await record.send(email);
      await mailer.send(email);
    },
  };
}

async function buildServices(options: TwofoldServerOptions): Promise<Services> {
  const now = options.now ?? Date.now;
  const development = options.mode === 'development';
  const store = options.store ?? new MemoryStore({ now });
  const logger = options.logger ?? consoleLogger;
  const limits = { ...LIMITS, ...options.limits };
  const keys = await deriveServerKeys(options.secret, options.encryptionKey);
  const passwordHasher = boundedHasher(
    options.passwordHasher ?? scryptPasswordHasher(),
    options.maxConcurrentPasswordHashes ?? 4,
  );
  const outbox = new DevOutbox(store, now);
  const decoyPasswordHash = passwordHasher.hash(randomToken());
  decoyPasswordHash.catch(() => {});
  const users = new Users(store, now);
  return {
    store,
    users,
    mfa: new MfaService(store, {
      pepper: keys.pepper,
      encryption: keys.encryption,
      issuer: options.totpIssuer ?? 'AuthFramework',
      now,
    }),
    tokens: new TokenService(
      {
        key: keys.jwt,
        issuer: options.tokenIssuer ?? 'twofold',
        audience: options.tokenAudience ?? 'twofold',
        accessTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
        refreshTtlSeconds: options.refreshTokenTtlSeconds ?? 30 * 24 * 3600,
        now,
      },
      store,
    ),
    challenges: new Challenges(store, now),
    attempts: new AttemptLimiter(
      store,
      {
        windowMs: limits.attemptWindowMs,
        perUser: limits.attemptsPerUser,
        perClient: limits.attemptsPerClient,
      },
      now,
    ),
    emailTokens: new EmailTokens(store, users, keys.pepper, now),
    outbox,
    mailer: development
      ? developmentMailer(outbox, options.mailer, logger)
      : (options.mailer as Mailer),
    passwordHasher,
    decoyPasswordHash,
    logger,
    now,
    config: {
      development,
      exposeVerificationTokens: options.exposeVerificationTokens ?? development,
      sendVerificationOnRegister: options.sendVerificationOnRegister ?? false,
      requireStepUpForBackupCodes: options.requireStepUpForBackupCodes ?? true,
      totpAccount: options.totpAccount ?? ((user) => user.id),
      publicUrl: (options.publicUrl ?? 'http://127.0.0.1:8787').replace(/\/+$/, ''),
      productName: options.productName ?? 'Twofold',
      resendPerMinute: limits.resendPerMinute,
      resendPerDay: limits.resendPerDay,
    },
  };
}

/**
 * The Twofold reference server as one fetch handler (Web `Request` → `Response`), for any
 * runtime: `@twofold/server/node` serves it over `node:http`, the mock runs it inside MSW.
 * Every response is an envelope (spec §1), including framework failures.
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
  if (options.mode !== 'development' && options.mode !== 'production') {
    throw new Error("mode must be 'development' or 'production'");
  }
  keyMaterial(options.secret, 'secret');
  keyMaterial(options.encryptionKey, 'encryptionKey');
  if (options.mode === 'production' && options.mailer === undefined) {
    throw new Error(
      'a mailer is required in production mode (verification emails must reach users)',
    );
  }
  const servicesReady = buildServices(options);
  const bodyLimit = options.limits?.bodyBytes ?? LIMITS.bodyBytes;
  const trustProxy = options.trustProxy ?? false;

  async function handle(
    request: Request,
    connection: ConnectionInfo | undefined,
  ): Promise<Response> {
    const services = await servicesReady;
    const url = new URL(request.url);
    const match = matchRoute(request.method, url.pathname, {
      development: services.config.development,
    });
    if (match.kind === 'none') return errorResponse('NOT_FOUND', MESSAGES.notFound);
    if (match.kind === 'wrong-method') {
      return errorResponse('METHOD_NOT_ALLOWED', MESSAGES.methodNotAllowed, {
        headers: { Allow: match.allow.join(', ') },
      });
    }
    const body = request.method === 'GET' ? {} : await readJsonBody(request, bodyLimit);
    const context: RequestContext = {
      request,
      url,
      body,
      client: clientAddress(request, connection?.clientAddress, trustProxy),
      services,
    };
    return envelopeResponse(await HANDLERS[match.id](context));
  }

  async function fetch(request: Request, connection?: ConnectionInfo): Promise<Response> {
    const cors = corsHeaders(request, options.cors);
    if (request.method === 'OPTIONS') {
      // A preflight (or an OPTIONS probe) of a route that exists: 204 with what it allows.
      // Anything else falls through to the envelope answers (404/405).
      const pathname = new URL(request.url).pathname;
      const route = matchRoute('OPTIONS', pathname, {
        development: options.mode === 'development',
      });
      if (route.kind === 'wrong-method') {
        return new Response(null, {
          status: 204,
          headers: {
            ...SECURITY_HEADERS,
            Allow: [...route.allow, 'OPTIONS'].join(', '),
            ...preflightHeaders(request, options.cors),
          },
        });
      }
    }
    let response: Response;
    try {
      response = await handle(request, connection);
    } catch (error) {
      if (error instanceof ApiError) {
        response = errorResponse(error.code, error.message, {
          details: error.details,
          headers: error.headers,
        });
      } else {
        (options.logger ?? consoleLogger).error('unexpected error while handling a request', error);
        response = errorResponse('INTERNAL_ERROR', MESSAGES.internalError);
      }
    }
    for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);
    return response;
  }

  return { fetch, ready: servicesReady.then(() => undefined), admin: createAdmin(servicesReady) };
}

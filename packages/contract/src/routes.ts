/** Who may call a route: anyone, anyone with an optional token, or a bearer token holder. */
export type RouteAuth = 'public' | 'optional' | 'bearer';

/** Where a route lives and who may call it: all a client needs (kept small for bundles). */
export interface RouteDefinition {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below {@link API_PREFIX}; `{name}` is a path parameter (one segment). */
  path: string;
  auth: RouteAuth;
  /** The success envelope carries only a `message`, no `data`. */
  answers?: 'message';
  /** Served in development mode only. */
  developmentOnly?: true;
}

/**
 * The route table of the contract (spec §2–§5), keyed by route id; paths are below
 * {@link API_PREFIX}.
 *
 * @example
 * ```ts
 * import { ROUTES } from '@twofold/contract';
 * ROUTES['mfa.verify']; // { method: 'POST', path: '/mfa/verify', auth: 'bearer', answers: 'message' }
 * ```
 */
export const ROUTES = {
  'auth.register': { method: 'POST', path: '/auth/register', auth: 'public' },
  'auth.login': { method: 'POST', path: '/auth/login', auth: 'public' },
  'auth.refresh': { method: 'POST', path: '/auth/refresh', auth: 'public' },
  'auth.logout': { method: 'POST', path: '/auth/logout', auth: 'optional', answers: 'message' },
  'auth.validate': { method: 'GET', path: '/auth/validate', auth: 'bearer' },
  'mfa.setup': { method: 'POST', path: '/mfa/setup', auth: 'bearer' },
  'mfa.verify': { method: 'POST', path: '/mfa/verify', auth: 'bearer', answers: 'message' },
  'mfa.disable': { method: 'POST', path: '/mfa/disable', auth: 'bearer', answers: 'message' },
  'mfa.status': { method: 'GET', path: '/mfa/status', auth: 'bearer' },
  'mfa.regenerateBackupCodes': {
    method: 'POST',
    path: '/mfa/regenerate-backup-codes',
    auth: 'bearer',
  },
  'mfa.verifyBackupCode': {
    method: 'POST',
    path: '/mfa/verify-backup-code',
    auth: 'bearer',
    answers: 'message',
  },
  'webauthn.registerOptions': {
    method: 'POST',
    path: '/mfa/webauthn/register/options',
    auth: 'bearer',
  },
  'webauthn.registerVerify': {
    method: 'POST',
    path: '/mfa/webauthn/register/verify',
    auth: 'bearer',
  },
  'webauthn.credentials': { method: 'GET', path: '/mfa/webauthn/credentials', auth: 'bearer' },
  'webauthn.deleteCredential': {
    method: 'DELETE',
    path: '/mfa/webauthn/credentials/{credential_id}',
    auth: 'bearer',
    answers: 'message',
  },
  'email.send': { method: 'POST', path: '/auth/verify-email/send', auth: 'bearer' },
  'email.verify': { method: 'POST', path: '/auth/verify-email', auth: 'public' },
  'email.resend': { method: 'POST', path: '/auth/resend-verification', auth: 'public' },
  'dev.outbox': { method: 'GET', path: '/dev/outbox', auth: 'public', developmentOnly: true },
} as const satisfies Record<string, RouteDefinition>;

/** A route id such as `'mfa.verify'`. */
export type RouteId = keyof typeof ROUTES;

type ParamNames<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}`
  ? Name | ParamNames<Rest>
  : never;

/** The path parameters of a route, e.g. `{ credential_id: string }`; `{}` for most routes. */
export type PathParams<Id extends RouteId> = {
  [Name in ParamNames<(typeof ROUTES)[Id]['path']>]: string;
};

/**
 * The route's path below {@link API_PREFIX} with its parameters filled in (URL-encoded).
 *
 * @example
 * ```ts
 * import { routePath } from '@twofold/contract';
 * routePath('webauthn.deleteCredential', { credential_id: 'AbC-_1' }); // '/mfa/webauthn/credentials/AbC-_1'
 * routePath('mfa.status', {}); // '/mfa/status'
 * ```
 */
export function routePath<Id extends RouteId>(id: Id, params: PathParams<Id>): string {
  return ROUTES[id].path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent((params as Record<string, string>)[name] ?? ''),
  );
}

/**
 * Every route id, in table order.
 *
 * @example
 * ```ts
 * import { ROUTE_IDS, ROUTES } from '@twofold/contract';
 * ROUTE_IDS.filter((id) => ROUTES[id].auth === 'public'); // ['auth.register', 'auth.login', 'auth.refresh', 'email.verify', 'email.resend', 'dev.outbox']
 * ```
 */
export const ROUTE_IDS: readonly RouteId[] = Object.keys(ROUTES) as RouteId[];

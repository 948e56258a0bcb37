import { API_PREFIX } from './parameters.js';
import { ROUTE_IDS, ROUTES, type RouteDefinition, type RouteId } from './routes.js';

/** What a method and path name in the contract: a route, a path with other methods, or nothing. */
export type RouteMatch =
  | { kind: 'route'; id: RouteId }
  | { kind: 'wrong-method'; allow: RouteDefinition['method'][] }
  | { kind: 'none' };

const byPath = new Map<string, RouteId[]>();
for (const id of ROUTE_IDS) {
  const path = `${API_PREFIX}${ROUTES[id].path}`;
  byPath.set(path, [...(byPath.get(path) ?? []), id]);
}

/**
 * The route a request names, by method and full path (with {@link API_PREFIX}); a trailing
 * slash is tolerated. Development-only routes exist only when `development` is set.
 *
 * @example
 * ```ts
 * import { matchRoute } from '@twofold/contract';
 * matchRoute('POST', '/api/v1/mfa/verify'); // { kind: 'route', id: 'mfa.verify' }
 * matchRoute('GET', '/api/v1/mfa/verify'); // { kind: 'wrong-method', allow: ['POST'] }
 * matchRoute('GET', '/api/v1/dev/outbox'); // { kind: 'none' }
 * matchRoute('GET', '/api/v1/dev/outbox', { development: true }); // { kind: 'route', id: 'dev.outbox' }
 * ```
 */
export function matchRoute(
  method: string,
  pathname: string,
  options: { development?: boolean } = {},
): RouteMatch {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const candidates = (byPath.get(path) ?? []).filter(
    (id) => options.development === true || !('developmentOnly' in ROUTES[id]),
  );
  if (candidates.length === 0) return { kind: 'none' };
  const id = candidates.find((candidate) => ROUTES[candidate].method === method);
  if (id !== undefined) return { kind: 'route', id };
  return { kind: 'wrong-method', allow: candidates.map((candidate) => ROUTES[candidate].method) };
}

import { API_PREFIX } from './parameters.js';
import { ROUTE_IDS, ROUTES, type RouteDefinition, type RouteId } from './routes.js';

/** What a method and path name in the contract: a route, a path with other methods, or nothing. */
export type RouteMatch =
  | { kind: 'route'; id: RouteId; params: Record<string, string> }
  | { kind: 'wrong-method'; allow: RouteDefinition['method'][] }
  | { kind: 'none' };

/** A route's full path as a pattern: `{name}` matches one non-empty segment. */
interface PathPattern {
  test: RegExp;
  names: string[];
  ids: RouteId[];
}

const exactPaths = new Map<string, RouteId[]>();
const templates = new Map<string, PathPattern>();
for (const id of ROUTE_IDS) {
  const path = `${API_PREFIX}${ROUTES[id].path}`;
  if (!path.includes('{')) {
    exactPaths.set(path, [...(exactPaths.get(path) ?? []), id]);
    continue;
  }
  const known = templates.get(path);
  if (known !== undefined) {
    known.ids.push(id);
    continue;
  }
  const names: string[] = [];
  const source = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  templates.set(path, { test: new RegExp(`^${source}$`), names, ids: [id] });
}

function candidatesOf(path: string): { ids: RouteId[]; params: Record<string, string> } {
  const exact = exactPaths.get(path);
  if (exact !== undefined) return { ids: exact, params: {} };
  for (const { test, names, ids } of templates.values()) {
    const match = test.exec(path);
    if (match === null) continue;
    const params: Record<string, string> = {};
    let decodable = true;
    names.forEach((name, index) => {
      try {
        params[name] = decodeURIComponent(match[index + 1] ?? '');
      } catch {
        decodable = false;
      }
    });
    if (decodable) return { ids, params };
  }
  return { ids: [], params: {} };
}

/**
 * The route a request names, by method and full path (with {@link API_PREFIX}); a trailing
 * slash is tolerated, and path parameters come back decoded. Development-only routes exist
 * only when `development` is set.
 *
 * @example
 * ```ts
 * import { matchRoute } from '@twofold/contract';
 * matchRoute('POST', '/api/v1/mfa/verify'); // { kind: 'route', id: 'mfa.verify', params: {} }
 * matchRoute('GET', '/api/v1/mfa/verify'); // { kind: 'wrong-method', allow: ['POST'] }
 * matchRoute('DELETE', '/api/v1/mfa/webauthn/credentials/AbC'); // { kind: 'route', id: 'webauthn.deleteCredential', params: { credential_id: 'AbC' } }
 * matchRoute('GET', '/api/v1/dev/outbox'); // { kind: 'none' }
 * matchRoute('GET', '/api/v1/dev/outbox', { development: true }); // { kind: 'route', id: 'dev.outbox', params: {} }
 * ```
 */
export function matchRoute(
  method: string,
  pathname: string,
  options: { development?: boolean } = {},
): RouteMatch {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const found = candidatesOf(path);
  const candidates = found.ids.filter(
    (id) => options.development === true || !('developmentOnly' in ROUTES[id]),
  );
  if (candidates.length === 0) return { kind: 'none' };
  const id = candidates.find((candidate) => ROUTES[candidate].method === method);
  if (id !== undefined) return { kind: 'route', id, params: found.params };
  return { kind: 'wrong-method', allow: candidates.map((candidate) => ROUTES[candidate].method) };
}

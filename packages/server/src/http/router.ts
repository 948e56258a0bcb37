import { API_PREFIX, ROUTE_IDS, ROUTES, type RouteId } from '@twofold/contract';

export type RouteMatch =
  | { kind: 'route'; id: RouteId }
  | { kind: 'wrong-method'; allow: string[] }
  | { kind: 'none' };

const byPath = new Map<string, RouteId[]>();
for (const id of ROUTE_IDS) {
  const path = `${API_PREFIX}${ROUTES[id].path}`;
  byPath.set(path, [...(byPath.get(path) ?? []), id]);
}

/** The route for a method and path; a trailing slash is tolerated. */
export function matchRoute(method: string, pathname: string, development: boolean): RouteMatch {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const candidates = (byPath.get(path) ?? []).filter(
    (id) => development || !('developmentOnly' in ROUTES[id]),
  );
  if (candidates.length === 0) return { kind: 'none' };
  const id = candidates.find((candidate) => ROUTES[candidate].method === method);
  if (id !== undefined) return { kind: 'route', id };
  return { kind: 'wrong-method', allow: candidates.map((candidate) => ROUTES[candidate].method) };
}

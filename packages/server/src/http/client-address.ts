import type { IncomingRequest } from './exchange.js';
/** How many reverse proxies in front of the server may be believed about the client address. */
export type TrustProxy = false | number;

/**
 * The client address attempts are counted against: the socket peer from the adapter, or —
 * only when `trustProxy` proxies are configured — the address that many hops back in
 * `X-Forwarded-For` (the entries nearer the client can be forged by the client).
 */
export function clientAddress(
  request: IncomingRequest,
  peer: string | undefined,
  trustProxy: TrustProxy,
): string | undefined {
  if (trustProxy !== false && trustProxy > 0) {
    const hops = (request.headers.get('X-Forwarded-For') ?? '')
      .split(',')
      .map((hop) => hop.trim())
      .filter(Boolean);
    const candidate = hops[hops.length - trustProxy];
    if (candidate !== undefined) return candidate;
  }
  // Unknown (an adapter that passes no peer): better no per-address count than one shared by all.
  return peer;
}

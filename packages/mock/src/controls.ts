import type { ErrorCode, RouteId } from '@twofold/contract';

/** A forced envelope error (`mock.fail`). */
export interface ForcedFailure {
  code: ErrorCode | (string & {});
  /** Default: the status the contract gives the code (500 for unknown codes). */
  status?: number;
  /** How many requests fail; default: every one until `reset()`. */
  times?: number;
  message?: string;
  details?: unknown;
  /** Seconds, sent as `Retry-After` (and as `details.retry_after_seconds` when no details are given). */
  retryAfter?: number;
}

/** A transport condition (`mock.network`): no answer, a network error, or latency. */
export type NetworkCondition = 'offline' | 'timeout' | 'online' | { delayMs: number };

/** A route id of the contract, or `'*'` for every route. */
export type RouteTarget = RouteId | '*';

/** Per-route failures and network conditions, consulted by the handler on every request. */
export class Controls {
  readonly #failures = new Map<RouteTarget, ForcedFailure & { remaining: number }>();
  readonly #network = new Map<RouteTarget, Exclude<NetworkCondition, 'online'>>();

  fail(route: RouteTarget, failure: ForcedFailure): void {
    this.#failures.set(route, { ...failure, remaining: failure.times ?? Number.POSITIVE_INFINITY });
  }

  network(route: RouteTarget, condition: NetworkCondition): void {
    if (condition === 'online') this.#network.delete(route);
    else this.#network.set(route, condition);
  }

  /** The failure to answer `route` with now, counting it down. */
  takeFailure(route: RouteId | undefined): ForcedFailure | undefined {
    for (const key of [route, '*'] as const) {
      if (key === undefined) continue;
      const failure = this.#failures.get(key);
      if (failure === undefined) continue;
      failure.remaining--;
      if (failure.remaining <= 0) this.#failures.delete(key);
      return failure;
    }
    return undefined;
  }

  networkFor(route: RouteId | undefined): Exclude<NetworkCondition, 'online'> | undefined {
    return (route === undefined ? undefined : this.#network.get(route)) ?? this.#network.get('*');
  }

  clear(): void {
    this.#failures.clear();
    this.#network.clear();
  }
}

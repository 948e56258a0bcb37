/**
 * A limit refused the request before any secret was consulted. The HTTP layer answers it with
 * `RATE_LIMITED` and `Retry-After`; the domain only says how long to wait.
 */
export class LimitExceeded extends Error {
  override name = 'LimitExceeded';
  readonly retryAfterMs: number;

  constructor(retryAfterMs: number) {
    super(`limit exceeded; retry in ${retryAfterMs} ms`);
    this.retryAfterMs = retryAfterMs;
  }
}

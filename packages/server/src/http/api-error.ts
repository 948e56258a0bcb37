import { type ErrorCode, MESSAGES } from '@twofold/contract';

/**
 * A contract error a handler answers with: thrown anywhere below the router and turned into
 * an envelope with the code's status (plus `headers`, such as `Retry-After`).
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    details?: unknown,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

/** `RATE_LIMITED` with `Retry-After` in whole seconds, in the header and in the details. */
export function rateLimited(retryAfterMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ApiError(
    'RATE_LIMITED',
    MESSAGES.rateLimited,
    { retry_after_seconds: seconds },
    { 'Retry-After': String(seconds) },
  );
}

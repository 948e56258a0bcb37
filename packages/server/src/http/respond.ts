import {
  type Envelope,
  type ErrorCode,
  errorEnvelope,
  isErrorCode,
  statusOf,
} from '@twofold/contract';
import { type Answer, toResponse } from './exchange.js';

/**
 * Headers every response carries: the body is a private API answer that must not be cached,
 * sniffed, framed or rendered as a document.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** An envelope as a JSON answer with the security headers. */
export function envelopeAnswer(
  body: Envelope,
  status = 200,
  headers?: Record<string, string>,
): Answer {
  return {
    status,
    headers: headers === undefined ? { ...SECURITY_HEADERS } : { ...SECURITY_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}

/** What {@link errorResponse} may add to the envelope. */
export interface ErrorResponseOptions {
  details?: unknown;
  /** Extra headers, such as `Retry-After`. */
  headers?: Record<string, string>;
  /** Default: the status the contract gives the code (500 for a code it does not define). */
  status?: number;
}

/**
 * An error envelope as the server answers it: the contract's status for the code and the
 * server's security headers. The mock builds its forced failures with it.
 *
 * @example
 * ```ts
 * import { errorResponse } from '@twofold/server';
 * const response = errorResponse('RATE_LIMITED', 'Too many attempts', { headers: { 'Retry-After': '60' } });
 * response.status; // 429
 * response.headers.get('Retry-After'); // '60'
 * ```
 */
export function errorResponse(
  code: ErrorCode | (string & {}),
  message: string,
  options: ErrorResponseOptions = {},
): Response {
  return toResponse(errorAnswer(code, message, options));
}

/** {@link errorResponse} before it becomes a `Response`. */
export function errorAnswer(
  code: ErrorCode | (string & {}),
  message: string,
  options: ErrorResponseOptions = {},
): Answer {
  const status = options.status ?? (isErrorCode(code) ? statusOf(code) : 500);
  return envelopeAnswer(errorEnvelope(code, message, options.details), status, options.headers);
}

import { type Envelope, type ErrorCode, errorEnvelope, statusOf } from '@twofold/contract';

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

/** An envelope as a JSON response. */
export function envelopeResponse(
  body: Envelope,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...SECURITY_HEADERS, ...headers },
  });
}

/** An error envelope with the status the contract gives its code. */
export function errorResponse(
  code: ErrorCode,
  message: string,
  details?: unknown,
  headers: Record<string, string> = {},
): Response {
  return envelopeResponse(errorEnvelope(code, message, details), statusOf(code), headers);
}

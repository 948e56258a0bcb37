import { MESSAGES } from '@twofold/contract';
import { ApiError } from './api-error.js';
import type { IncomingRequest } from './exchange.js';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** The body's bytes, `PAYLOAD_TOO_LARGE` past `limit` (declared or read). */
export async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('Content-Length');
  if (declared !== null && Number(declared) > limit) {
    throw new ApiError('PAYLOAD_TOO_LARGE', MESSAGES.payloadTooLarge);
  }
  if (request.body === null) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    // Stop reading as soon as the limit is passed: a lying or absent Content-Length must not
    // make the server buffer megabytes.
    if (total > limit) {
      // Not awaited: some streams (MSW's interceptor, for one) settle a cancel only when drained.
      reader.cancel().catch(() => {});
      throw new ApiError('PAYLOAD_TOO_LARGE', MESSAGES.payloadTooLarge);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * The request's JSON body as a value: `{}` when there is none, `VALIDATION_ERROR` for bad
 * JSON, `UNSUPPORTED_MEDIA_TYPE` for a body that is not JSON, `PAYLOAD_TOO_LARGE` past `limit`.
 */
export async function readJsonBody(request: IncomingRequest, limit: number): Promise<unknown> {
  const bytes = await request.readBody(limit);
  if (bytes.byteLength === 0) return {};
  if (!JSON_TYPE.test(request.headers.get('Content-Type') ?? '')) {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', MESSAGES.unsupportedMediaType);
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ApiError('VALIDATION_ERROR', MESSAGES.invalidJson);
  }
}

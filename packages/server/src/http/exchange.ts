import { readLimited } from './read-body.js';

/**
 * The parts of a request the server reads. `fetch` makes one of a Web `Request`; the node:http
 * adapter makes one straight from node's request, without building a `Request` (the biggest
 * per-request cost of the translation).
 */
export interface IncomingRequest {
  readonly method: string;
  /** Absolute URL: `http://host:port/path?query`. */
  readonly url: string;
  readonly headers: {
    get(name: string): string | null;
    has(name: string): boolean;
  };
  /**
   * The body's bytes: empty when there is none; `PAYLOAD_TOO_LARGE` (an `ApiError`) as soon as
   * it is declared or read past `limit`, without buffering the rest.
   */
  readBody(limit: number): Promise<Uint8Array>;
}

/**
 * An answer before it becomes a `Response`: what `fetch` wraps in one and what the node:http
 * adapter writes to the socket as it is. `body` is the whole body (JSON or HTML).
 */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

/** A Web `Request` as the server reads it. */
export function fromWebRequest(request: Request): IncomingRequest {
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    readBody: (limit) => readLimited(request, limit),
  };
}

export function toResponse(answer: Answer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

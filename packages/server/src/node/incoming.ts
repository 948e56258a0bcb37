import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { finished } from 'node:stream';
import { MESSAGES } from '@twofold/contract';
import { ApiError } from '../http/api-error.js';
import type { Answer, IncomingRequest } from '../http/exchange.js';

/** What a request that is not HTTP as node:http and the server read it gets as its message. */
export const MALFORMED_REQUEST = 'Malformed HTTP request';

/** The absolute URL of a request target (origin-form, or the absolute-form proxies send). */
function absoluteUrl(incoming: IncomingMessage, origin: string): string {
  const target = incoming.url ?? '/';
  return target.startsWith('/') ? origin + target : new URL(target, origin).href;
}

/** Reads the body up to `limit` bytes; past it, stops reading and leaves the rest unread. */
function readBody(incoming: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = incoming.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(new ApiError('PAYLOAD_TOO_LARGE', MESSAGES.payloadTooLarge));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total <= limit) {
        chunks.push(chunk);
        return;
      }
      // A lying or absent Content-Length must not make the server buffer megabytes.
      stop();
      incoming.pause();
      reject(new ApiError('PAYLOAD_TOO_LARGE', MESSAGES.payloadTooLarge));
    };
    const stopWaiting = finished(incoming, (error) => {
      stop();
      if (error === undefined || error === null) resolve(Buffer.concat(chunks, total));
      // The client went away mid-body: nobody reads the answer, but it is no server fault.
      else reject(new ApiError('VALIDATION_ERROR', MALFORMED_REQUEST));
    });
    const stop = () => {
      incoming.off('data', onData);
      stopWaiting();
    };
    incoming.on('data', onData);
  });
}

/** node's own headers (lower-cased, duplicates already merged or dropped by node) as read here. */
class NodeHeaders {
  readonly #raw: IncomingHttpHeaders;

  constructor(raw: IncomingHttpHeaders) {
    this.#raw = raw;
  }

  get(name: string): string | null {
    const value = this.#raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.#raw[name.toLowerCase()] !== undefined;
  }
}

/** node's request as the server reads it, without building a Web `Request`. */
class NodeRequest implements IncomingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: NodeHeaders;
  readonly #incoming: IncomingMessage;

  constructor(incoming: IncomingMessage, origin: string) {
    this.method = incoming.method ?? 'GET';
    this.url = absoluteUrl(incoming, origin);
    this.headers = new NodeHeaders(incoming.headers);
    this.#incoming = incoming;
  }

  /** Read only when a route asks for it. */
  readBody(limit: number): Promise<Uint8Array> {
    return readBody(this.#incoming, limit);
  }
}

export function incomingRequest(incoming: IncomingMessage, origin: string): IncomingRequest {
  return new NodeRequest(incoming, origin);
}

/** Writes an answer as it is: one `writeHead` and one `end`, with its Content-Length. */
export function writeAnswer(answer: Answer, outgoing: ServerResponse, closeAfter: boolean): void {
  // The answer is the adapter's to write, so its headers are completed in place.
  const headers = answer.headers;
  if (answer.body !== null) headers['Content-Length'] = String(Buffer.byteLength(answer.body));
  // Once shutting down, a kept-alive connection would hold `close()` open until it times out.
  if (closeAfter) headers.Connection = 'close';
  outgoing.writeHead(answer.status, headers);
  outgoing.end(answer.body ?? undefined);
}

/**
 * The request body as a web stream, for a fetch handler. Unlike `Readable.toWeb`, cancelling
 * it (the body limit was passed) does not destroy the request, which would leave the rest of
 * the body unread on a connection that can then neither be reused nor closed gracefully: see
 * `discardUnread`.
 */
function bodyStream(incoming: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      incoming.pause();
      incoming.on('data', (chunk: Buffer) => {
        if (!open) return;
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 0) <= 0) incoming.pause();
      });
      finished(incoming, (error) => {
        if (!open) return;
        open = false;
        if (error) controller.error(error);
        else controller.close();
      });
    },
    pull() {
      incoming.resume();
    },
    cancel() {
      open = false;
      incoming.pause();
    },
  });
}

/**
 * node's request as a Web `Request`, for a fetch handler that is not a Twofold server. Its
 * `signal` aborts when the client goes away before the answer is written.
 */
export function webRequest(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  origin: string,
): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = incoming.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const gone = new AbortController();
  outgoing.once('close', () => {
    if (!outgoing.writableFinished) gone.abort();
  });
  return new Request(absoluteUrl(incoming, origin), {
    method,
    headers,
    signal: gone.signal,
    ...(hasBody ? { body: bodyStream(incoming), duplex: 'half' } : {}),
  } as RequestInit);
}

/** Writes a Web `Response` (read whole first: answers here are small JSON or HTML). */
export async function writeResponse(
  response: Response,
  outgoing: ServerResponse,
  closeAfter: boolean,
): Promise<void> {
  const body = response.body === null ? undefined : Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = Object.fromEntries(response.headers);
  if (closeAfter) headers.connection = 'close';
  outgoing.writeHead(response.status, headers);
  outgoing.end(body);
}

const MAX_DISCARDED_BYTES = 8 * 1024 * 1024;

/**
 * Reads and drops what the handler left of the request body (a 413 by Content-Length, a 404
 * that never looks at it), as node:http itself does for a handler that never reads the body.
 * Left paused, the connection would stay open and stuck, and `close()` would wait for it.
 * `onEnd` runs once the rest has arrived.
 */
export function discardUnread(incoming: IncomingMessage, onEnd: () => void): void {
  if (incoming.complete || incoming.destroyed) return;
  incoming.removeAllListeners('data');
  // Draining lets the client read the answer; past a few MiB, stop paying for its upload.
  let discarded = 0;
  incoming.on('data', (chunk: Buffer) => {
    discarded += chunk.byteLength;
    if (discarded > MAX_DISCARDED_BYTES) incoming.destroy();
  });
  incoming.once('end', onEnd);
  incoming.resume();
}

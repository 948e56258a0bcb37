import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { finished } from 'node:stream';
import { errorEnvelope } from '@twofold/contract';
import { SECURITY_HEADERS } from '../http/respond.js';
import type { TwofoldServer } from '../server.js';

export interface ServeOptions {
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Stop gracefully on SIGINT and SIGTERM, then exit (default true). */
  handleSignals?: boolean;
  /** How long in-flight requests may take to finish on shutdown (default 10 s). */
  shutdownTimeoutMs?: number;
  /** Called after a signal-triggered shutdown, before the process exits. */
  onShutdown?: () => Promise<void> | void;
}

export interface RunningServer {
  /** `http://host:port` */
  url: string;
  port: number;
  host: string;
  httpServer: Server;
  /** Stops accepting connections and resolves once in-flight requests have finished. */
  close(): Promise<void>;
}

/**
 * The request body as a web stream. Unlike `Readable.toWeb`, cancelling it (the body limit was
 * passed) does not destroy the request, which would leave the rest of the body unread on a
 * connection that can then neither be reused nor closed gracefully: see `discardUnread`.
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

const MAX_DISCARDED_BYTES = 8 * 1024 * 1024;

/**
 * Reads and drops what the handler left of the request body (a 413 by Content-Length, a 404
 * that never looks at it), as node:http itself does for a handler that never reads the body.
 * Left paused, the connection would stay open and stuck, and `close()` would wait for it.
 * `onEnd` runs once the rest has arrived.
 */
function discardUnread(incoming: IncomingMessage, onEnd: () => void): void {
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

function toRequest(incoming: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = incoming.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(new URL(incoming.url ?? '/', origin), {
    method,
    headers,
    ...(hasBody ? { body: bodyStream(incoming), duplex: 'half' } : {}),
  } as RequestInit);
}

async function writeResponse(
  response: Response,
  outgoing: ServerResponse,
  shuttingDown: () => boolean,
): Promise<void> {
  const body = response.body === null ? undefined : Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = Object.fromEntries(response.headers);
  // Once shutting down, a kept-alive connection would hold `close()` open until it times out.
  if (shuttingDown()) headers.connection = 'close';
  outgoing.writeHead(response.status, headers);
  outgoing.end(body);
}

function badRequest(outgoing: ServerResponse): void {
  if (outgoing.headersSent) {
    outgoing.destroy();
    return;
  }
  outgoing.writeHead(400, { ...SECURITY_HEADERS, Connection: 'close' });
  outgoing.end(JSON.stringify(errorEnvelope('VALIDATION_ERROR', 'Malformed HTTP request')));
}

/**
 * Serves a Twofold server over `node:http`, passing the socket peer as the client address.
 * On SIGINT/SIGTERM it stops accepting connections, lets in-flight requests finish, and exits.
 *
 * @example
 * ```ts
 * import { createTwofoldServer } from '@twofold/server';
 * import { serve } from '@twofold/server/node';
 * const key = () => crypto.getRandomValues(new Uint8Array(32));
 * const server = createTwofoldServer({ mode: 'development', secret: key(), encryptionKey: key() });
 * const running = await serve(server, { port: 0 }); // 0: any free port; the default is 8787
 * const response = await fetch(`${running.url}/api/v1/mfa/status`);
 * response.status; // 401
 * await running.close();
 * ```
 */
export async function serve(
  server: Pick<TwofoldServer, 'fetch'>,
  options: ServeOptions = {},
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  let origin = `http://${host}`;
  let closing: Promise<void> | undefined;
  const shuttingDown = () => closing !== undefined;
  const httpServer = createServer((incoming, outgoing) => {
    let request: Request;
    try {
      request = toRequest(incoming, origin);
    } catch {
      badRequest(outgoing);
      return;
    }
    server
      .fetch(request, { clientAddress: incoming.socket.remoteAddress })
      .then((response) => writeResponse(response, outgoing, shuttingDown))
      .catch(() => badRequest(outgoing))
      .finally(() =>
        // The connection only becomes idle now: when shutting down, close it.
        discardUnread(incoming, () => {
          if (shuttingDown()) httpServer.closeIdleConnections();
        }),
      );
  });
  // A malformed request line or header never reaches the handler; answer it with an envelope.
  httpServer.on('clientError', (_error, socket) => {
    if (socket.writable) {
      const body = JSON.stringify(errorEnvelope('VALIDATION_ERROR', 'Malformed HTTP request'));
      const headers = Object.entries({
        ...SECURITY_HEADERS,
        'Content-Length': String(Buffer.byteLength(body)),
        Connection: 'close',
      })
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.end(`HTTP/1.1 400 Bad Request\r\n${headers}\r\n${body}`);
    } else {
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 8787, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      const timeout = options.shutdownTimeoutMs ?? 10_000;
      const force = setTimeout(() => httpServer.closeAllConnections(), timeout);
      force.unref();
      httpServer.close(() => {
        clearTimeout(force);
        resolve();
      });
      // Keep-alive connections with no request in flight would hold close() open.
      httpServer.closeIdleConnections();
    });
    return closing;
  };

  if (options.handleSignals ?? true) {
    const onSignal = async () => {
      await close();
      await options.onShutdown?.();
      process.exit(0);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  return { url: origin, port, host, httpServer, close };
}

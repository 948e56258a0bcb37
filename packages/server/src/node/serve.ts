import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ErrorCode, errorEnvelope, MESSAGES } from '@twofold/contract';
import { errorAnswer, SECURITY_HEADERS } from '../http/respond.js';
import type { TwofoldServer } from '../server.js';
import {
  discardUnread,
  incomingRequest,
  MALFORMED_REQUEST,
  webRequest,
  writeAnswer,
  writeResponse,
} from './incoming.js';

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

/** An envelope as raw HTTP, for a socket node:http did not make a response for. */
function rawEnvelope(status: number, code: ErrorCode, message: string): string {
  const body = JSON.stringify(errorEnvelope(code, message));
  const headers = Object.entries({
    ...SECURITY_HEADERS,
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
  })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${headers}\r\n${body}`;
}

function badRequest(outgoing: ServerResponse): void {
  if (outgoing.headersSent) {
    outgoing.destroy();
    return;
  }
  outgoing.writeHead(400, { ...SECURITY_HEADERS, Connection: 'close' });
  outgoing.end(JSON.stringify(errorEnvelope('VALIDATION_ERROR', MALFORMED_REQUEST)));
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
  server: Pick<TwofoldServer, 'fetch'> | Pick<TwofoldServer, 'handle'>,
  options: ServeOptions = {},
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  let origin = `http://${host}`;
  let closing: Promise<void> | undefined;
  const shuttingDown = () => closing !== undefined;

  // A Twofold server answers plain objects, written as they are; any other fetch handler gets
  // a Web Request and has its Response read back.
  const answer =
    'handle' in server
      ? async (incoming: IncomingMessage, outgoing: ServerResponse) => {
          const request = incomingRequest(incoming, origin);
          const connection = { clientAddress: incoming.socket.remoteAddress };
          writeAnswer(await server.handle(request, connection), outgoing, shuttingDown());
        }
      : async (incoming: IncomingMessage, outgoing: ServerResponse) => {
          const request = webRequest(incoming, outgoing, origin);
          const connection = { clientAddress: incoming.socket.remoteAddress };
          await writeResponse(await server.fetch(request, connection), outgoing, shuttingDown());
        };

  // Without a Host, node:http answers an empty 400 by itself; here it is an envelope.
  const httpServer = createServer({ requireHostHeader: false }, async (incoming, outgoing) => {
    if (incoming.httpVersion === '1.1' && incoming.headers.host === undefined) {
      writeAnswer(errorAnswer('VALIDATION_ERROR', 'Host header is required'), outgoing, true);
      discardUnread(incoming, () => {});
      return;
    }
    try {
      await answer(incoming, outgoing);
    } catch {
      // Only the adapter's own failures land here (the server answers its own as envelopes),
      // such as a request target node:http accepted but URL parsing does not.
      badRequest(outgoing);
    }
    // The connection only becomes idle now: when shutting down, close it.
    discardUnread(incoming, () => {
      if (shuttingDown()) httpServer.closeIdleConnections();
    });
  });
  // What node:http answers by itself never reaches the handler; each gets an envelope too.
  // A malformed request line or header:
  httpServer.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end(rawEnvelope(400, 'VALIDATION_ERROR', MALFORMED_REQUEST));
    else socket.destroy();
  });
  // CONNECT (node would drop the connection without a word):
  httpServer.on('connect', (_request, socket) => {
    socket.end(rawEnvelope(405, 'METHOD_NOT_ALLOWED', MESSAGES.methodNotAllowed));
  });
  // An `Expect` other than 100-continue (node would answer an empty 417):
  httpServer.on('checkExpectation', (_incoming, outgoing) => {
    const answer = errorAnswer('VALIDATION_ERROR', 'Unsupported Expect header', { status: 417 });
    writeAnswer(answer, outgoing, true);
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

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Answer, IncomingRequest } from '@twofold/server';

/** Where `pnpm build` puts the demo (apps/demo/dist), from src/ and from dist/ alike. */
export const DEMO_DIR = fileURLToPath(new URL('../../demo/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The headers of a static page: a Content-Security-Policy for an app whose script and styles
 * are files of its own origin (no inline code, no other origin), and no framing or sniffing.
 */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

interface DemoFile {
  type: string;
  body: string;
  /** Hashed asset names never change content: cached for a year; the page is always checked. */
  cache: string;
}

/**
 * The built demo, read once: `/` and every file under `assets/`, served for GET and HEAD.
 * Undefined when the demo is not built (the API works without it).
 */
export function loadDemo(directory: string = DEMO_DIR): Map<string, DemoFile> | undefined {
  if (!existsSync(join(directory, 'index.html'))) return undefined;
  const files = new Map<string, DemoFile>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const type = TYPES[extname(name)];
      if (type === undefined) continue;
      const url = `/${relative(directory, path).split(sep).join('/')}`;
      const immutable = url.startsWith('/assets/');
      files.set(url, {
        type,
        body: readFileSync(path, 'utf8'),
        cache: immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
    }
  };
  walk(directory);
  const page = files.get('/index.html');
  if (page !== undefined) files.set('/', page);
  return files;
}

/** The demo's answer to `request`, or undefined when it is not one of the demo's files. */
export function demoAnswer(
  files: Map<string, DemoFile>,
  request: Pick<IncomingRequest, 'method' | 'url'>,
): Answer | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const file = files.get(new URL(request.url).pathname);
  if (file === undefined) return undefined;
  return {
    status: 200,
    headers: { ...PAGE_HEADERS, 'Content-Type': file.type, 'Cache-Control': file.cache },
    body: request.method === 'HEAD' ? null : file.body,
  };
}

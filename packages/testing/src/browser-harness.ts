import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { type Browser, type CDPSession, chromium, type Page } from 'playwright-core';

// What the browser tests of the client, the mock and the app share: a browser bundle of a source
// entry, a page server for static assets, Debian's Chromium started headless, and its virtual
// WebAuthn authenticator.

const CHROMIUM = '/usr/bin/chromium';

/** `entry` (TypeScript source, workspace packages from their sources) bundled for the browser. */
export async function browserBundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@twofold/source'],
    write: false,
    logLevel: 'error',
  });
  return new TextDecoder().decode(result.outputFiles[0]?.contents);
}

/** Serves `assets` (path → body; `.js` as JavaScript, the rest as HTML) on a free local port. */
export async function servePages(
  assets: Record<string, string>,
): Promise<{ origin: string; close(): Promise<void> }> {
  const pages = createServer((request, response) => {
    const body = assets[request.url ?? ''];
    response.writeHead(body === undefined ? 404 : 200, {
      'Content-Type': request.url?.endsWith('.js') ? 'text/javascript' : 'text/html',
    });
    response.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(pages.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => pages.close(() => resolve())),
  };
}

/** Debian's Chromium, headless; fails with the install command when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install it with \`apt-get update && apt-get install -y chromium\``,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * Chromium's virtual WebAuthn authenticator on `page` (DevTools protocol): a platform
 * authenticator (CTAP2, internal, resident keys) that verifies the user and answers at once.
 * Tests steer it through `cdp` (e.g. `WebAuthn.setUserVerified`) with `authenticatorId`.
 */
export async function addVirtualAuthenticator(
  page: Page,
): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type RunningServer, serve } from '@twofold/server/node';
import { inProcessServer, testClock } from '@twofold/testing';
import {
  addVirtualAuthenticator,
  browserBundle,
  launchChromium,
  servePages,
} from '@twofold/testing/browser';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The ./webauthn subpath in headless Chromium (Debian's) on its default path — SimpleWebAuthn
// driving navigator.credentials — with Chromium's virtual authenticator (DevTools protocol)
// answering, against the reference server over real HTTP on another origin.

const root = fileURLToPath(new URL('../..', import.meta.url));

let browser: Browser;
let pages: Awaited<ReturnType<typeof servePages>>;
/** The pages as `localhost`: the origin the server's rpId suits. */
let pageOrigin: string;
let api: RunningServer;

beforeAll(async () => {
  pages = await servePages({
    '/': `<!doctype html><title>Twofold passkeys</title>
      <script type="module">import * as flow from '/flow.js'; window.flow = flow;</script>`,
    '/flow.js': readFileSync(new URL('./fixtures/passkey-flow.js', import.meta.url), 'utf8'),
    '/sdk.js': await browserBundle(`${root}client/src/index.ts`),
    '/webauthn.js': await browserBundle(`${root}client/src/webauthn.ts`),
  });
  pageOrigin = pages.origin.replace('127.0.0.1', 'localhost');
  const { server } = inProcessServer({
    clock: testClock({ realTime: true }),
    cors: { origins: [pageOrigin, pages.origin] },
    webauthn: { rpId: 'localhost', rpName: 'Twofold', origins: [pageOrigin] },
  });
  api = await serve(server, { port: 0, handleSignals: false });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await pages?.close();
});

/** A page at `origin` with a virtual platform authenticator that verifies the user. */
async function pageWithAuthenticator(
  origin: string,
): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string }> {
  const page = await browser.newPage();
  const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
  await page.goto(origin);
  await page.waitForFunction('window.flow !== undefined');
  return { page, cdp, authenticatorId };
}

describe('@twofold/client/webauthn in headless Chromium', () => {
  it('registers a passkey (first factor: backup codes), logs in with it, and maps InvalidStateError for the same authenticator', async () => {
    const { page } = await pageWithAuthenticator(pageOrigin);
    const result = await page.evaluate(`window.flow.runFlow(${JSON.stringify(api.url)})`);
    expect(result).toEqual({
      supported: true,
      backupCodes: 10,
      createdAtIsDate: true,
      listed: ['Virtual key'],
      challenge: ['backup_code', 'webauthn'],
      platform: true,
      completed: 'authenticated',
      user: true,
      again: {
        ok: false,
        name: 'TwofoldError',
        code: 'PASSKEY_ALREADY_REGISTERED',
        causeName: 'InvalidStateError',
        message: expect.stringMatching(/^Passkey already registered/),
      },
    });
  }, 60_000);

  it('an abort during the prompt closes it and fails ABORTED, at once', async () => {
    const { page, cdp, authenticatorId } = await pageWithAuthenticator(pageOrigin);
    expect(await page.evaluate(`window.flow.challenged(${JSON.stringify(api.url)})`)).toBe(
      'mfa_required',
    );
    // No user touches the authenticator: the prompt stays open until it is aborted.
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
    const aborted = (await page.evaluate('window.flow.completeChallenge(300)')) as {
      code: string;
      ms: number;
    };
    expect(aborted).toMatchObject({ ok: false, name: 'TwofoldError', code: 'ABORTED' });
    expect(aborted.ms).toBeLessThan(5_000);
    // The challenge was not spent: with the user back, the passkey completes it.
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: true });
    expect(await page.evaluate('window.flow.completeChallenge()')).toMatchObject({
      ok: true,
      value: { status: 'authenticated' },
    });
  }, 60_000);

  it('a passkey the authenticator no longer holds: the browser refuses (NotAllowedError) → PASSKEY_CANCELLED', async () => {
    const { page, cdp, authenticatorId } = await pageWithAuthenticator(pageOrigin);
    await page.evaluate(`window.flow.challenged(${JSON.stringify(api.url)})`);
    await cdp.send('WebAuthn.clearCredentials', { authenticatorId });
    expect(await page.evaluate('window.flow.completeChallenge()')).toMatchObject({
      ok: false,
      code: 'PASSKEY_CANCELLED',
      causeName: 'NotAllowedError',
    });
  }, 60_000);

  it('a page whose origin does not suit the rpId (127.0.0.1 for localhost) → PASSKEY_SECURITY_ERROR', async () => {
    const { page } = await pageWithAuthenticator(pages.origin);
    expect(
      await page.evaluate(`window.flow.registerHere(${JSON.stringify(api.url)})`),
    ).toMatchObject({ ok: false, code: 'PASSKEY_SECURITY_ERROR', causeName: 'SecurityError' });
  }, 60_000);
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { appDataDirectory, type RunningApp, repoRoot, startApp, stopApp } from '@twofold/testing';
import {
  addVirtualAuthenticator,
  browserBundle,
  launchChromium,
  servePages,
} from '@twofold/testing/browser';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

// Passkeys end to end in headless Chromium (Debian's), its virtual authenticator (DevTools
// protocol) answering the prompts: the SDK and its ./webauthn subpath on a page served from
// http://localhost:<port>, against apps/server on http://127.0.0.1:<port> — another origin,
// started with the passkey settings a developer gives it (rp id localhost, the page's origin)
// — and against the mock in the page's Service Worker. The server verifies what Chromium's
// authenticator signs: that is each login below.

type PageApi = typeof import('./fixtures/passkeys-page.js');

/** The AAGUID of Chromium's virtual authenticators. */
const CHROMIUM_VIRTUAL_MODEL = '01020304-0506-0708-0102-030405060708';
/** Some other authenticator model. */
const OTHER_MODEL = 'ee882879-721c-4913-9775-3dfcce97072a';

let browser: Browser;
let pages: Awaited<ReturnType<typeof servePages>>;
/** The page as `localhost`: browsers refuse passkeys on an IP address. */
let pageOrigin: string;
let app: RunningApp | undefined;
/** apps/server that lets only Chromium's virtual authenticator model register. */
let strictApp: RunningApp | undefined;

beforeAll(async () => {
  pages = await servePages({
    '/': `<!doctype html><title>Twofold passkeys</title>
      <script type="module">import * as api from '/page.js'; window.passkeyPage = api;</script>`,
    '/page.js': await browserBundle(
      fileURLToPath(new URL('./fixtures/passkeys-page.ts', import.meta.url)),
    ),
    '/mockServiceWorker.js': readFileSync(
      `${repoRoot}packages/mock/worker/mockServiceWorker.js`,
      'utf8',
    ),
  });
  pageOrigin = pages.origin.replace('127.0.0.1', 'localhost');
  const settings = {
    TWOFOLD_RP_ID: 'localhost',
    TWOFOLD_ORIGINS: pageOrigin,
    TWOFOLD_CORS_ORIGINS: pageOrigin,
  };
  const started = await Promise.allSettled([
    startApp(
      { ...settings, TWOFOLD_DATA_DIR: await appDataDirectory('twofold-passkeys-') },
      90_000,
    ),
    startApp(
      {
        ...settings,
        TWOFOLD_DATA_DIR: await appDataDirectory('twofold-passkeys-aaguid-'),
        TWOFOLD_WEBAUTHN_AAGUIDS: CHROMIUM_VIRTUAL_MODEL,
      },
      90_000,
    ),
  ]);
  [app, strictApp] = started.map((result) =>
    result.status === 'fulfilled' ? result.value : undefined,
  );
  for (const result of started) if (result.status === 'rejected') throw result.reason;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([stopApp(app), stopApp(strictApp)]);
  await pages?.close();
});

/** A page in a browser context of its own, with a virtual platform authenticator. */
interface Tab {
  page: Page;
  cdp: CDPSession;
  authenticatorId: string;
}

async function openTab(): Promise<Tab> {
  // Its own context: no Service Worker, session or credential of another test.
  const context = await browser.newContext();
  onTestFinished(() => context.close());
  const page = await context.newPage();
  const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
  await page.goto(pageOrigin);
  await page.waitForFunction('window.passkeyPage !== undefined');
  return { page, cdp, authenticatorId };
}

/** Runs a step of the page (fixtures/passkeys-page.ts). */
function step<Name extends keyof PageApi>(
  tab: Tab,
  name: Name,
  ...args: Parameters<PageApi[Name]>
): Promise<Awaited<ReturnType<PageApi[Name]>>> {
  return tab.page.evaluate(
    ([fn, list]) =>
      (
        window as unknown as { passkeyPage: Record<string, (...a: unknown[]) => unknown> }
      ).passkeyPage[fn]?.(...list),
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<PageApi[Name]>>>;
}

/** What Chromium's virtual authenticator holds: credential ids (base64url), rp ids and counters. */
async function held(tab: Tab) {
  const { credentials } = await tab.cdp.send('WebAuthn.getCredentials', {
    authenticatorId: tab.authenticatorId,
  });
  return credentials.map(({ credentialId, rpId, signCount }) => ({
    credentialId: Buffer.from(credentialId, 'base64').toString('base64url'),
    rpId,
    signCount,
  }));
}

let users = 0;
const newUsername = () => `pk_${process.pid}_${Date.now()}_${++users}`;

const targets = [
  {
    name: 'apps/server on another origin',
    api: async () => (app as RunningApp).url,
    /** The server's own record is inside its process; its HTTP view is the list. */
    serverView: undefined,
  },
  {
    name: "the mock in the page's Service Worker",
    api: (tab: Tab) => step(tab, 'startMock'),
    serverView: (tab: Tab) => step(tab, 'mockPasskeys'),
  },
];

describe.each(targets)('passkeys in headless Chromium against $name', (target) => {
  it('adds a passkey, logs in with it (the virtual authenticator signs, Twofold verifies), lists it with its last use, and removes it with the password', async () => {
    const tab = await openTab();
    const username = newUsername();
    expect(await step(tab, 'signUp', await target.api(tab), username)).toBe('authenticated');

    const added = await step(tab, 'addPasskey', 'Chromium virtual key');
    expect(added).toEqual({
      ok: true,
      credentialId: expect.any(String),
      name: 'Chromium virtual key',
      backupCodes: 10, // the first second factor: backup codes come with it
    });
    const credentialId = added.ok ? added.credentialId : '';
    const [made] = await held(tab);
    expect(made).toEqual({ credentialId, rpId: 'localhost', signCount: expect.any(Number) });
    expect(await step(tab, 'listPasskeys')).toEqual([
      {
        credentialId,
        name: 'Chromium virtual key',
        createdAt: expect.any(String),
        lastUsedAt: null,
      },
    ]);

    expect(await step(tab, 'logInAgain')).toEqual({
      status: 'mfa_required',
      methods: ['backup_code', 'webauthn'],
      rpId: 'localhost',
    });
    expect(await step(tab, 'completeWithPasskey')).toEqual({
      ok: true,
      status: 'authenticated',
      username,
    });
    const [first] = await step(tab, 'listPasskeys');
    expect(first?.lastUsedAt).toEqual(expect.any(String));
    expect(Date.parse(first?.lastUsedAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(first?.createdAt ?? ''),
    );

    // Again: the authenticator's counter moves on, and the server, which refuses a counter
    // that does not move forward, takes it — so it kept the one of the first login.
    await step(tab, 'logInAgain');
    expect(await step(tab, 'completeWithPasskey')).toMatchObject({ ok: true });
    const [afterTwo] = await held(tab);
    expect(afterTwo?.signCount).toBeGreaterThanOrEqual((made?.signCount ?? 0) + 2);
    const [second] = await step(tab, 'listPasskeys');
    expect(Date.parse(second?.lastUsedAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(first?.lastUsedAt ?? ''),
    );
    if (target.serverView !== undefined) {
      expect(await target.serverView(tab)).toEqual([
        { credentialId, counter: afterTwo?.signCount, lastUsedAt: second?.lastUsedAt },
      ]);
    }

    // The last second factor goes, and MFA with it: the next login needs the password only.
    expect(await step(tab, 'removePasskey', credentialId)).toEqual({
      enabled: false,
      methods: [],
      backupCodesRemaining: 0,
    });
    expect(await step(tab, 'listPasskeys')).toEqual([]);
    expect((await step(tab, 'logInAgain')).status).toBe('authenticated');
  }, 60_000);

  it('a prompt the user does not pass is PASSKEY_CANCELLED, and the login challenge stays usable', async () => {
    const tab = await openTab();
    await step(tab, 'signUp', await target.api(tab), newUsername());
    expect(await step(tab, 'addPasskey', 'Chromium virtual key')).toMatchObject({ ok: true });
    expect((await step(tab, 'logInAgain')).status).toBe('mfa_required');

    // The user fails (or dismisses) the fingerprint check: the browser answers NotAllowedError.
    await tab.cdp.send('WebAuthn.setUserVerified', {
      authenticatorId: tab.authenticatorId,
      isUserVerified: false,
    });
    expect(await step(tab, 'completeWithPasskey')).toEqual({
      ok: false,
      name: 'TwofoldError',
      code: 'PASSKEY_CANCELLED',
      causeName: 'NotAllowedError',
    });

    await tab.cdp.send('WebAuthn.setUserVerified', {
      authenticatorId: tab.authenticatorId,
      isUserVerified: true,
    });
    expect(await step(tab, 'completeWithPasskey')).toMatchObject({
      ok: true,
      status: 'authenticated',
    });
  }, 60_000);
});

describe('apps/server with an AAGUID allow-list (--webauthn-aaguids)', () => {
  it("lets Chromium's listed model register (its attestation verified) and refuses another model", async () => {
    const port = new URL(pageOrigin).port;
    expect((strictApp as RunningApp).output().stdout).toContain(
      `passkeys: rp id localhost; origins http://localhost:${port}; only 1 authenticator model(s) may register`,
    );
    const tab = await openTab();
    await step(tab, 'signUp', (strictApp as RunningApp).url, newUsername());

    // The mock's software authenticator, claiming a model the company does not allow.
    expect(await step(tab, 'addPasskey', 'Unlisted key', OTHER_MODEL)).toEqual({
      ok: false,
      name: 'TwofoldError',
      code: 'WEBAUTHN_NOT_ALLOWED',
      causeName: undefined,
    });
    expect(await step(tab, 'listPasskeys')).toEqual([]);

    expect(await step(tab, 'addPasskey', 'Company key')).toMatchObject({
      ok: true,
      backupCodes: 10,
    });
    expect((await step(tab, 'logInAgain')).status).toBe('mfa_required');
    expect(await step(tab, 'completeWithPasskey')).toMatchObject({
      ok: true,
      status: 'authenticated',
    });
  }, 60_000);
});

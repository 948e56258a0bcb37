import { API_PREFIX, matchRoute, type OutboxEntry } from '@twofold/contract';
import { base32Decode, totp } from '@twofold/otp';
import {
  createTwofoldServer,
  errorResponse,
  type Logger,
  MemoryStore,
  type PasskeyInfo,
  type SeededUser,
  type SeedPasskey,
  type SeedUser,
  scryptPasswordHasher,
  type TotpAccountUser,
  type TrustProxy,
  type TwofoldServer,
  type VerificationEmail,
  type WebAuthnOptions,
} from '@twofold/server';
import { delay, type HttpHandler, HttpResponse, http } from 'msw';
import { createMockClock, type MockClock } from './clock.js';
import {
  Controls,
  type ForcedFailure,
  type NetworkCondition,
  type RouteTarget,
} from './controls.js';
import type { Persistence } from './persistence.js';

export interface TwofoldMockOptions {
  /**
   * The origin the SDK calls, e.g. `http://127.0.0.1:8787` (a trailing `/api/v1` is dropped, as
   * `createClient` drops it); requests elsewhere pass through.
   */
  baseUrl: string;
  /** `development` (default) exposes the dev outbox route and verification tokens, as the server does. */
  mode?: 'development' | 'production';
  /** Where the server core logs; silent by default. */
  logger?: Logger;
  /** Count attempts per `X-Forwarded-For` address, as a server behind that many proxies (default off). */
  trustProxy?: TrustProxy;
  /**
   * The passkey relying party (spec §5). Default: in a browser, the page's host and origin; in
   * Node, `localhost` with the origins `http://localhost` and `http://localhost:5173` — give
   * the origin your software authenticator claims if it is another one.
   */
  webauthn?: Partial<WebAuthnOptions>;
  /**
   * Where the link in verification emails leads, `{token}` standing for the URL-encoded token,
   * e.g. `http://localhost:5173/verify-email?token={token}` (your app's page). Default: the
   * server's own confirmation page, `{baseUrl}/verify-email?token=…`, which the handlers answer
   * to `fetch` (a Service Worker does not see a page opened from the address bar).
   */
  verifyUrl?: string;
  /** The issuer authenticator apps show; entries read `Issuer:username` (default `Twofold`). */
  totpIssuer?: string;
  /**
   * The account part of the entry (default: the username). `(user) => user.id` with
   * `totpIssuer: 'AuthFramework'` gives the auth-framework crate's URI.
   */
  totpAccount?: (user: TotpAccountUser) => string;
}

/** Makes credentials without a ceremony, as `@twofold/mock/authenticator` does. */
export interface CredentialMaker {
  createCredential(input: { rpId: string; userHandle: string }): Promise<{
    id: string;
    publicKey: string;
    counter: number;
  }>;
}

/** The mock: MSW handlers plus the controls of spec'd behaviour (clock, users, email, faults). */
export interface TwofoldMock {
  /** Spread these into your own `setupServer(...)` / `setupWorker(...)`. */
  handlers: HttpHandler[];
  clock: MockClock;
  users: { create(input: SeedUser): Promise<SeededUser> };
  /** Verification emails the server sent, newest first (the dev outbox's entries). */
  outbox: { list(email?: string): OutboxEntry[] };
  totp: { currentCode(username: string): Promise<string> };
  passkeys: {
    /** The user's passkeys as the server keeps them (with sign counters). */
    list(username: string): Promise<PasskeyInfo[]>;
    /**
     * Gives the user a passkey without a ceremony: a credential made by `authenticator` (which
     * can then log in with it), or one described directly. Backup codes come back when it is
     * the user's first second factor.
     */
    seed(
      username: string,
      from: CredentialMaker | SeedPasskey,
      name?: string,
    ): Promise<{ credentialId: string; backupCodes?: string[] }>;
  };
  /** Forces an envelope error on a route (or `'*'`). */
  fail(route: RouteTarget, failure: ForcedFailure): void;
  /** Takes a route (or `'*'`) offline, makes it hang, slows it down, or (`'online'`) restores it. */
  network(route: RouteTarget, condition: NetworkCondition): void;
  /** Every request the handlers answered, as `METHOD /path`, oldest first. */
  requests: string[];
  /** Forgets every user, email, failure and network condition, and returns to real time. */
  reset(): void;
}

const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** The relying party the mock answers for: the page's own in a browser, localhost in Node. */
function relyingParty(given: Partial<WebAuthnOptions> | undefined): WebAuthnOptions {
  const page = (globalThis as { location?: { hostname: string; origin: string } }).location;
  const onPage = page !== undefined && /[a-z]/i.test(page.hostname) && !page.hostname.includes(':');
  const rpId = given?.rpId ?? (onPage ? page.hostname : 'localhost');
  const origins =
    given?.origins ?? (onPage ? [page.origin] : ['http://localhost', 'http://localhost:5173']);
  return { rpName: 'Twofold mock', ...given, rpId, origins };
}

const base64url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

function randomKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}

/**
 * The Twofold mock as an MSW handler set: the reference server core (`createTwofoldServer` on
 * a memory store) for `baseUrl`, plus controls. Environment-agnostic: `setupTwofoldMock`
 * (`@twofold/mock/node`) and `setupTwofoldWorker` (`@twofold/mock/browser`) wrap it the way
 * msw's `setupServer` and `setupWorker` wrap handlers; or spread `handlers` into your own.
 *
 * @example
 * ```ts
 * import { createTwofoldMock } from '@twofold/mock';
 * import { setupServer } from 'msw/node';
 * const mock = createTwofoldMock({ baseUrl: 'http://127.0.0.1:8787' });
 * const server = setupServer(...mock.handlers); // and your own handlers
 * server.listen();
 * const response = await fetch('http://127.0.0.1:8787/api/v1/mfa/status');
 * response.status; // 401
 * server.close();
 * ```
 */
export function createTwofoldMock(
  options: TwofoldMockOptions,
  /** Internal: the browser mock's `persist` (saved after every change, loaded at creation). */
  persistence?: Persistence,
): TwofoldMock {
  // The same spellings `createClient` accepts: with or without `/api/v1` and trailing slashes.
  const baseUrl = options.baseUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  const realClock = createMockClock();
  const controls = new Controls();
  const requests: string[] = [];
  const rp = relyingParty(options.webauthn);
  let sent: OutboxEntry[] = [];
  let server: TwofoldServer;
  let keys: { secret: string; encryptionKey: string };
  let store: MemoryStore;

  function save(): void {
    persistence?.save({
      version: 1,
      ...keys,
      entries: store.entries(),
      outbox: sent,
      clockOffset: realClock.now() - Date.now(),
    });
  }
  // Every clock change is saved too, so a reload keeps the time a test or a story set.
  const clock: MockClock = {
    now: realClock.now,
    set(ms) {
      realClock.set(ms);
      save();
    },
    advance(ms) {
      realClock.advance(ms);
      save();
    },
    reset() {
      realClock.reset();
      save();
    },
  };

  function start(saved = persistence?.load()): void {
    // The replaced server's mail worker stops with it (a page's timers would run on); the first
    // start has none yet.
    void (server as TwofoldServer | undefined)?.close();
    sent = saved?.outbox ?? [];
    keys = saved
      ? { secret: saved.secret, encryptionKey: saved.encryptionKey }
      : { secret: randomKey(), encryptionKey: randomKey() };
    if (saved !== undefined) realClock.advance(saved.clockOffset);
    store = new MemoryStore({ now: clock.now, ...(saved && { entries: saved.entries }) });
    server = createTwofoldServer({
      secret: keys.secret,
      encryptionKey: keys.encryptionKey,
      mode: options.mode ?? 'development',
      now: clock.now,
      store,
      // scrypt at a development cost: same format and code path, fast in a browser tab.
      passwordHasher: scryptPasswordHasher({ logN: 10, r: 8, p: 1 }),
      publicUrl: baseUrl,
      ...(options.verifyUrl === undefined ? {} : { verifyUrl: options.verifyUrl }),
      mailer: {
        async send(email: VerificationEmail) {
          const { to, subject, text, link, token, sentAt } = email;
          // The same sentAt as the server's own outbox entry: one record, one time.
          sent = [{ to, subject, text, link, token, sent_at: sentAt.toISOString() }, ...sent];
        },
      },
      logger: options.logger ?? quiet,
      webauthn: rp,
      // As the reference server's CLI: `Twofold:ada` in the app, not the crate's `AuthFramework:<uuid>`.
      totpIssuer: options.totpIssuer ?? 'Twofold',
      totpAccount: options.totpAccount ?? ((user) => user.username),
      ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
    });
  }
  start();

  const handler = http.all(`${baseUrl}${API_PREFIX}/*`, async ({ request }) => {
    const url = new URL(request.url);
    requests.push(`${request.method} ${url.pathname}`);
    const match = matchRoute(request.method, url.pathname, { development: true });
    const route = match.kind === 'route' ? match.id : undefined;
    const network = controls.networkFor(route);
    if (network === 'offline') return HttpResponse.error();
    if (network === 'timeout') await delay('infinite');
    if (typeof network === 'object') await delay(network.delayMs);
    const failure = controls.takeFailure(route);
    if (failure !== undefined) {
      const { code, message, status, details, retryAfter } = failure;
      return errorResponse(code, message ?? `Forced by the mock: ${code}`, {
        ...(status === undefined ? {} : { status }),
        details:
          details ?? (retryAfter === undefined ? undefined : { retry_after_seconds: retryAfter }),
        headers: retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) },
      });
    }
    const response = await server.fetch(request, { clientAddress: '127.0.0.1' });
    save();
    return response;
  });

  // The server's confirmation page (the default link target), as the reference server serves it.
  const verifyPage = http.all(`${baseUrl}/verify-email`, ({ request }) =>
    server.fetch(request, { clientAddress: '127.0.0.1' }),
  );

  return {
    handlers: [handler, verifyPage],
    clock,
    users: {
      async create(input) {
        const user = await server.admin.createUser(input);
        save();
        return user;
      },
    },
    outbox: {
      list: (email) =>
        email === undefined
          ? [...sent]
          : sent.filter((entry) => entry.to.toLowerCase() === email.trim().toLowerCase()),
    },
    totp: {
      async currentCode(username) {
        const secret = await server.admin.totpSecret(username);
        if (secret === undefined)
          throw new Error(`${username} has no TOTP secret (no setup and no seeded MFA)`);
        return totp(base32Decode(secret), { time: clock.now() });
      },
    },
    passkeys: {
      list: (username) => server.admin.passkeys(username),
      async seed(username, from, name) {
        const passkey: SeedPasskey =
          'createCredential' in from
            ? await from
                .createCredential({ rpId: rp.rpId, userHandle: base64url(username) })
                .then(({ id, publicKey, counter }) => ({ credentialId: id, publicKey, counter }))
            : from;
        const added = await server.admin.addPasskey(username, {
          ...passkey,
          ...(name === undefined ? {} : { name }),
        });
        save();
        return { credentialId: passkey.credentialId, ...added };
      },
    },
    fail: (route, failure) => controls.fail(route, failure),
    network: (route, condition) => controls.network(route, condition),
    requests,
    reset() {
      controls.clear();
      realClock.reset();
      requests.length = 0;
      persistence?.clear();
      start(undefined);
    },
  };
}

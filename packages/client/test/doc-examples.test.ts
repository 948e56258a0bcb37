import { createSoftwareAuthenticator } from '@twofold/mock/authenticator';
import { createTwofoldServer, scryptPasswordHasher } from '@twofold/server';
import { type DocExampleRule, describeDocExamples } from '@twofold/testing/doc-examples';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';

// Every JSDoc example runs against the sources (see @twofold/testing). The examples call
// https://auth.example.com: there, the reference server answers in-process through MSW, as in
// a user's own tests, with ada (MFA enabled) and bob (no MFA) registered, and passkeys on for
// pages of that origin.

const ORIGIN = 'https://auth.example.com';
const PASSWORD = 'correct horse battery staple';

async function authServerAtExampleOrigin() {
  const server = createTwofoldServer({
    secret: 'doc examples of @twofold/client: 32+ bytes',
    encryptionKey: 'doc examples of @twofold/client: a key of 32+ bytes',
    mode: 'development',
    passwordHasher: scryptPasswordHasher({ logN: 8, r: 8, p: 1 }),
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    webauthn: { rpId: 'auth.example.com', rpName: 'Twofold', origins: [ORIGIN] },
  });
  await server.admin.createUser({
    username: 'ada',
    email: 'ada@example.com',
    password: PASSWORD,
    mfa: {},
  });
  await server.admin.createUser({ username: 'bob', email: 'bob@example.com', password: PASSWORD });
  const msw = setupServer(
    http.all(`${ORIGIN}/*`, ({ request }) => server.fetch(request, { clientAddress: '192.0.2.1' })),
    http.all('*', () => HttpResponse.error()),
  );
  msw.listen({ onUnhandledRequest: 'error' });
  return msw;
}

/** A Web Storage in memory, for Node (which has none before v22). */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

const againstServer: DocExampleRule = {
  reason: `${ORIGIN} is the reference server in-process (MSW)`,
  async setup() {
    const msw = await authServerAtExampleOrigin();
    return { teardown: () => msw.close() };
  },
};

/** Where the passkeys example asks the browser, the software authenticator answers in Node. */
const AUTHENTICATOR = '__twofoldDocAuthenticator';

describeDocExamples({
  packageDir: new URL('..', import.meta.url),
  entries: {
    '@twofold/client': 'src/index.ts',
    '@twofold/client/webauthn': 'src/webauthn.ts',
    '@twofold/client/dev': 'src/dev.ts',
  },
  rules: {
    createClient: againstServer,
    TwofoldError: againstServer,
    devOutbox: againstServer,
    PasskeyAuthenticator: againstServer,
    passkeys: {
      reason: `${ORIGIN} is the reference server in-process (MSW); the browser's navigator.credentials is the software authenticator of @twofold/mock`,
      async setup() {
        const msw = await authServerAtExampleOrigin();
        const global = globalThis as Record<string, unknown>;
        global[AUTHENTICATOR] = createSoftwareAuthenticator({ origin: ORIGIN });
        return {
          replace: {
            'passkeys(client)': `passkeys(client, { authenticator: (globalThis as any).${AUTHENTICATOR} })`,
          },
          teardown() {
            msw.close();
            delete global[AUTHENTICATOR];
          },
        };
      },
    },
    webStorageTokenStore: {
      reason: `${ORIGIN} is the reference server in-process (MSW); sessionStorage an in-memory Storage`,
      async setup() {
        const msw = await authServerAtExampleOrigin();
        const global = globalThis as { sessionStorage?: Storage };
        const had = Object.hasOwn(global, 'sessionStorage');
        const previous = global.sessionStorage;
        global.sessionStorage = memoryStorage();
        return {
          teardown() {
            msw.close();
            if (had) global.sessionStorage = previous as Storage;
            else delete global.sessionStorage;
          },
        };
      },
    },
  },
});

import { base32Decode, totp } from '@twofold/otp';
import {
  createTwofoldServer,
  scryptPasswordHasher,
  type TwofoldServerOptions,
} from '@twofold/server';
import { type ClientOptions, createClient } from '../src/index.js';

export const BASE_URL = 'http://twofold.test';

/**
 * The reference server in-process with a settable clock, and a fetch that calls it and records
 * every request path — what the SDK tests run against.
 */
export function inProcessServer(options: Partial<TwofoldServerOptions> = {}) {
  let now = Date.now();
  const server = createTwofoldServer({
    secret: 'client test secret: 32+ bytes of key material!!',
    encryptionKey: 'client test encryption key: 32+ bytes as well',
    mode: 'development',
    passwordHasher: scryptPasswordHasher({ logN: 8, r: 8, p: 1 }),
    now: () => now,
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    ...options,
  });
  const requests: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    request.signal.throwIfAborted(); // as a real fetch does
    requests.push(`${request.method} ${new URL(request.url).pathname}`);
    return server.fetch(request, { clientAddress: '192.0.2.10' });
  };
  return {
    server,
    fetch,
    requests,
    clock: {
      now: () => now,
      advance: (ms: number) => {
        now += ms;
      },
    },
    client: (extra: Partial<ClientOptions> = {}) =>
      createClient({ baseUrl: BASE_URL, fetch, retry: 0, ...extra }),
    code: (secret: string, offsetSteps = 0) =>
      totp(base32Decode(secret), { time: now + offsetSteps * 30_000 }),
  };
}

let counter = 0;
export function uniqueUser(prefix = 'sdk') {
  counter++;
  const username = `${prefix}${counter}_${Math.random().toString(36).slice(2, 8)}`;
  return { username, email: `${username}@example.com`, password: 'correct horse battery staple' };
}

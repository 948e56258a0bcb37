import { describe, expect, it } from 'vitest';
import {
  createTwofoldServer,
  MemoryStore,
  TwofoldConfigError,
  type TwofoldServerOptions,
} from '../src/index.js';
import { resolveOptions } from '../src/options.js';

const valid: TwofoldServerOptions = {
  mode: 'development',
  secret: 'options test secret: 32+ bytes of key material',
  encryptionKey: 'options test encryption key: 32+ bytes too',
  logger: { info: () => {}, warn: () => {}, error: () => {} },
};

/** The TwofoldConfigError that creating a server with `options` throws. */
function refusal(options: Partial<TwofoldServerOptions> | Record<string, unknown>) {
  try {
    createTwofoldServer({ ...valid, ...options } as TwofoldServerOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(TwofoldConfigError);
    return error as TwofoldConfigError;
  }
  throw new Error('createTwofoldServer accepted the options');
}

describe('options are checked once, at creation, with the option named', () => {
  it.each([
    [{ mode: undefined }, 'mode', "must be 'development' or 'production'"],
    [{ mode: 'staging' }, 'mode', "must be 'development' or 'production'"],
    [{ secret: 'too short' }, 'secret', 'must be at least 32 bytes of random key material'],
    [{ encryptionKey: new Uint8Array(16) }, 'encryptionKey', 'must be at least 32 bytes'],
    [{ mode: 'production' }, 'mailer', 'is required in production mode'],
    [{ limits: { attemptsPerUser: 0 } }, 'limits.attemptsPerUser', 'must be a positive integer'],
    [{ limits: { bodyBytes: 1.5 } }, 'limits.bodyBytes', 'must be a positive integer'],
    [{ limits: { attemptz: 3 } }, 'limits.attemptz', 'is not a limit Twofold knows'],
    [{ trustProxy: -1 }, 'trustProxy', 'must be false or a number of proxies'],
    [{ maxConcurrentPasswordHashes: 0 }, 'maxConcurrentPasswordHashes', 'positive integer'],
    [{ accessTokenTtlSeconds: Number.NaN }, 'accessTokenTtlSeconds', 'positive integer'],
    [{ publicUrl: 'localhost:8787' }, 'publicUrl', 'must be an absolute http(s) URL'],
    [{ publicUrl: 'ftp://files.example' }, 'publicUrl', 'must be an absolute http(s) URL'],
  ])('%o → %s', (options, option, problem) => {
    const error = refusal(options);
    expect(error.option).toBe(option);
    expect(error.problem).toContain(problem);
    expect(error.message).toBe(`${option} ${error.problem}`);
  });

  // Browsers refuse these as the relying party id: the ceremony would fail in every browser.
  it.each(['127.0.0.1', '[::1]', 'example.com:443', 'https://example.com'])(
    'webauthn.rpId %s is refused',
    (rpId) => {
      const error = refusal({ webauthn: { rpId, rpName: 'X', origins: ['https://example.com'] } });
      expect(error.option).toBe('webauthn.rpId');
      expect(error.problem).toContain('must be a domain name');
    },
  );

  it('hashes one password fewer at once than the machine has cores (1 to 4)', async () => {
    const { availableParallelism } = await import('node:os');
    const config = resolveOptions(valid);
    expect(config.maxConcurrentPasswordHashes).toBe(
      Math.min(4, Math.max(1, availableParallelism() - 1)),
    );
    expect(
      resolveOptions({ ...valid, maxConcurrentPasswordHashes: 7 }).maxConcurrentPasswordHashes,
    ).toBe(7);
  });

  it('accepts the defaults, trustProxy 0 and a publicUrl with a trailing slash', async () => {
    const server = createTwofoldServer({ ...valid, trustProxy: 0, publicUrl: 'https://x.test/' });
    await server.ready;
    const response = await server.fetch(new Request('https://x.test/api/v1/mfa/status'));
    expect(response.status).toBe(401);
  });
});

it('keeps the default of a limit given as undefined (a JavaScript caller)', async () => {
  const server = createTwofoldServer({ ...valid, limits: { bodyBytes: undefined } } as never);
  const response = await server.fetch(
    new Request('https://x.test/api/v1/auth/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: 'not a token' }),
    }),
  );
  // With a 0-byte limit this would be 413 PAYLOAD_TOO_LARGE.
  expect((await response.json()).error.code).toBe('INVALID_TOKEN');
});

describe('a store given as a function', () => {
  it('is opened once, after the options are checked, and never when they are refused', async () => {
    let opened = 0;
    const open = async () => {
      opened++;
      return new MemoryStore();
    };
    expect(() =>
      createTwofoldServer({ ...valid, mode: 'production', store: open } as TwofoldServerOptions),
    ).toThrow(TwofoldConfigError);
    expect(opened).toBe(0);
    const server = createTwofoldServer({ ...valid, store: open });
    await server.ready;
    await server.fetch(new Request('https://x.test/api/v1/mfa/status'));
    expect(opened).toBe(1);
  });

  it('makes ready reject when it cannot open the store', async () => {
    const server = createTwofoldServer({
      ...valid,
      store: async () => {
        throw new Error('database unreachable');
      },
    });
    await expect(server.ready).rejects.toThrow('database unreachable');
    // A request still gets an envelope, never a crash or a hang.
    const response = await server.fetch(new Request('https://x.test/api/v1/mfa/status'));
    expect(response.status).toBe(500);
    expect((await response.json()).error.code).toBe('INTERNAL_ERROR');
  });
});

describe('CORS preflight', () => {
  const server = createTwofoldServer({ ...valid, cors: { origins: ['https://app.example'] } });
  const preflight = (path: string) =>
    server.fetch(
      new Request(`https://api.example/api/v1${path}`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' },
      }),
    );

  it('advertises the methods of the route asked about, not a fixed list', async () => {
    const verify = await preflight('/mfa/verify');
    expect(verify.status).toBe(204);
    expect(verify.headers.get('Access-Control-Allow-Methods')).toBe('POST, OPTIONS');
    expect(verify.headers.get('Allow')).toBe('POST, OPTIONS');
    const status = await preflight('/mfa/status');
    // The method asked about (POST) is let through as well, so the page reads the 405 envelope.
    expect(status.headers.get('Access-Control-Allow-Methods')).toBe('GET, POST, OPTIONS');
    expect(status.headers.get('Allow')).toBe('GET, OPTIONS');
    expect(status.headers.get('Access-Control-Allow-Origin')).toBe('https://app.example');
  });
});

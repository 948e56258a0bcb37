// `pnpm bench` (peer part): Twofold beside Better Auth (its twoFactor plugin), both on the same
// PostgreSQL, each in its own schema, both served over node:http on the main thread (Better
// Auth through its own `toNodeHandler`), the load from autocannon in a worker thread. Rows:
// session check (Twofold GET /mfa/status vs Better Auth GET /get-session), password login, and
// login with a TOTP code (two requests each), at each product's default password cost and at
// equal cost (Better Auth's scrypt N=2^14, r=16, p=1 for both). Prints Twofold ÷ Better Auth.

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { databaseUrl, dropSchemas, postgresReachableAt } from '@twofold/testing';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import { twoFactor } from 'better-auth/plugins';
import pg from 'pg';
import type { PasswordHasher } from '../src/crypto/password-hasher.js';
import { nodePasswordHasher } from '../src/node/node-scrypt.js';
import { serve } from '../src/node/serve.js';
import { createPostgresStore } from '../src/postgres.js';
import { createTwofoldServer } from '../src/server.js';
import { backgroundLoader, loader, type Measured, tracked, warmThenMeasure } from './harness.js';
import type { LoadJob, TotpUser } from './load-worker.js';

const SESSION_CONNECTIONS = 20;
/** Logins queue behind password hashing: a few at a time keeps latencies under autocannon's timeout. */
const LOGIN_CONNECTIONS = 4;
const PASSWORD = 'correct horse battery staple';
/** Better Auth's scrypt (N=16384, r=16, p=1, 64-byte key): the "equal cost" for Twofold. */
const BETTER_AUTH_SCRYPT = { logN: 14, r: 16, p: 1 };
/** Password-login users (taken in turn, so no user has two logins in flight). */
const PASSWORD_USERS = 8;

if (!(await postgresReachableAt())) {
  console.log(`\npeer bench: NOT RUN — no PostgreSQL at ${databaseUrl}`);
  process.exit(0);
}

const schemas: string[] = [];
const schemaName = (what: string) => {
  const schema = `twofold_peer_${what}_${process.pid}_${Date.now().toString(36)}`;
  schemas.push(schema);
  return schema;
};

interface Served {
  origin: string;
  idle: () => Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Twofold, production mode, on its PostgreSQL store.

/** A Twofold setting: the password hasher and how many hashes at once (default: cores - 1). */
interface Setting {
  costs: string;
  passwordHasher?: PasswordHasher;
  maxConcurrentPasswordHashes?: number;
  /** TOTP users: Twofold refuses a code twice, so each login of a run needs its own user. */
  totpUsers: number;
}

async function twofold(setting: Setting) {
  const { passwordHasher, maxConcurrentPasswordHashes, totpUsers } = setting;
  const store = await createPostgresStore({
    connectionString: databaseUrl,
    schema: schemaName('tf'),
  });
  const server = createTwofoldServer({
    mode: 'production',
    mailer: { send: async () => {} },
    secret: randomBytes(32).toString('base64url'),
    encryptionKey: randomBytes(32).toString('base64url'),
    // Every request comes from 127.0.0.1: the per-address limit would count all users as one.
    limits: { attemptsPerClient: 1_000_000 },
    store,
    ...(passwordHasher === undefined ? {} : { passwordHasher }),
    ...(maxConcurrentPasswordHashes === undefined ? {} : { maxConcurrentPasswordHashes }),
  });
  await server.ready;
  const counted = tracked(server);
  const running = await serve(counted, { port: 0, handleSignals: false });
  const seed = async (username: string, mfa: boolean) =>
    server.admin.createUser({
      username,
      email: `${username}@bench.test`,
      password: PASSWORD,
      ...(mfa ? { mfa: {} } : {}),
    });
  const passwordLogins: string[] = [];
  const totp: TotpUser[] = [];
  for (let index = 0; index < PASSWORD_USERS; index++) {
    await seed(`plain${index}`, false);
    passwordLogins.push(JSON.stringify({ username: `plain${index}`, password: PASSWORD }));
  }
  for (let index = 0; index < totpUsers; index += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, totpUsers - index) }, async (_, offset) => {
        const username = `totp${index + offset}`;
        await seed(username, true);
        const secret = await server.admin.totpSecret(username);
        if (secret === undefined) throw new Error(`no TOTP secret for ${username}`);
        totp.push({ login: username, password: PASSWORD, secret });
      }),
    );
  }
  const login = await fetch(`${running.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'plain0', password: PASSWORD }),
  });
  const token = ((await login.json()) as { data?: { access_token?: string } }).data?.access_token;
  if (token === undefined) throw new Error('Twofold: the password login failed');
  const served: Served = {
    origin: running.url,
    idle: counted.idle,
    async close() {
      await running.close();
      await counted.idle();
      await store.close();
    },
  };
  return {
    served,
    session: { path: '/api/v1/mfa/status', headers: { authorization: `Bearer ${token}` } },
    password: { path: '/api/v1/auth/login', bodies: passwordLogins },
    totp,
  };
}

// ---------------------------------------------------------------------------------------------
// Better Auth, with its defaults but rate limiting (every request comes from 127.0.0.1).

/** `name=value` of each Set-Cookie of `response`, as a Cookie header. */
const cookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');

async function betterAuthServer() {
  const schema = schemaName('ba');
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
  const httpServer = createServer();
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const auth = betterAuth({
    database: pool,
    baseURL: origin,
    secret: randomBytes(32).toString('base64url'),
    emailAndPassword: { enabled: true },
    // Seeding turns TOTP on without a first code; logins check codes as usual.
    plugins: [twoFactor({ skipVerificationOnEnable: true })],
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
  });
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();
  const handler = toNodeHandler(auth);
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  httpServer.on('request', (request, response) => {
    inFlight++;
    response.once('close', () => {
      inFlight--;
      if (inFlight === 0) for (const resolve of waiting.splice(0)) resolve();
    });
    void handler(request, response);
  });

  const passwordLogins: string[] = [];
  const totp: TotpUser[] = [];
  let sessionCookie = '';
  for (let index = 0; index < PASSWORD_USERS; index++) {
    const email = `plain${index}@bench.test`;
    const up = await auth.api.signUpEmail({
      body: { email, password: PASSWORD, name: `plain${index}` },
      asResponse: true,
    });
    if (index === 0) sessionCookie = cookieOf(up);
    passwordLogins.push(JSON.stringify({ email, password: PASSWORD }));
  }
  // No replay protection on Better Auth's TOTP: a few users can log in again and again.
  for (let index = 0; index < 10; index++) {
    const email = `totp${index}@bench.test`;
    const up = await auth.api.signUpEmail({
      body: { email, password: PASSWORD, name: `totp${index}` },
      asResponse: true,
    });
    const enabled = await auth.api.enableTwoFactor({
      body: { password: PASSWORD },
      headers: new Headers({ cookie: cookieOf(up) }),
    });
    const secret =
      'totpURI' in enabled ? new URL(enabled.totpURI).searchParams.get('secret') : null;
    if (secret === null) throw new Error(`Better Auth gave no TOTP secret for ${email}`);
    totp.push({ login: email, password: PASSWORD, secret });
  }
  const served: Served = {
    origin,
    idle: () =>
      inFlight === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve)),
    async close() {
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      await pool.end();
    },
  };
  return {
    served,
    session: { path: '/api/auth/get-session', headers: { cookie: sessionCookie, origin } },
    password: { path: '/api/auth/sign-in/email', bodies: passwordLogins },
    totp,
  };
}

// ---------------------------------------------------------------------------------------------
// Measurements.

type Product = Awaited<ReturnType<typeof twofold>> | Awaited<ReturnType<typeof betterAuthServer>>;

function measureSession(product: Product): Promise<Measured> {
  const { origin, idle } = product.served;
  return warmThenMeasure(
    (seconds): LoadJob => ({
      kind: 'get',
      origin,
      ...product.session,
      connections: SESSION_CONNECTIONS,
      seconds,
    }),
    idle,
  );
}

function measurePassword(product: Product): Promise<Measured> {
  const { origin, idle } = product.served;
  return warmThenMeasure(
    (seconds): LoadJob => ({
      kind: 'post',
      origin,
      headers: { origin },
      ...product.password,
      connections: LOGIN_CONNECTIONS,
      seconds,
    }),
    idle,
  );
}

function measureTotp(product: Product, server: 'twofold' | 'better-auth'): Promise<Measured> {
  const { origin, idle } = product.served;
  return warmThenMeasure(
    (seconds, warmup): LoadJob => ({
      kind: 'totp-login',
      server,
      origin,
      users: product.totp,
      firstUser: warmup?.nextPair ?? 0,
      connections: LOGIN_CONNECTIONS,
      seconds,
    }),
    idle,
  );
}

interface Row {
  what: string;
  twofold: Measured;
  betterAuth: Measured;
}

const rows: Row[] = [];
try {
  const peer = await betterAuthServer();
  try {
    const baSession = await measureSession(peer);
    const baPassword = await measurePassword(peer);
    const baTotp = await measureTotp(peer, 'better-auth');
    const cores = availableParallelism();
    const settings: Setting[] = [
      {
        costs: `default costs (Twofold: scrypt 2^17 r=8, ${Math.max(1, cores - 1)} at a time)`,
        totpUsers: 20,
      },
      {
        costs: `equal costs (scrypt 2^14 r=16; Twofold ${Math.max(1, cores - 1)} at a time)`,
        passwordHasher: nodePasswordHasher(BETTER_AUTH_SCRYPT),
        totpUsers: 60,
      },
      {
        costs: 'equal costs and concurrency (scrypt 2^14 r=16, 4 at a time)',
        passwordHasher: nodePasswordHasher(BETTER_AUTH_SCRYPT),
        maxConcurrentPasswordHashes: 4,
        totpUsers: 100,
      },
    ];
    for (const setting of settings) {
      const ours = await twofold(setting);
      try {
        if (rows.length === 0) {
          rows.push({
            what: 'session check (GET /mfa/status vs GET /get-session)',
            twofold: await measureSession(ours),
            betterAuth: baSession,
          });
        }
        rows.push({
          what: `password login, ${setting.costs}`,
          twofold: await measurePassword(ours),
          betterAuth: baPassword,
        });
        rows.push({
          what: `login with TOTP (2 requests), ${setting.costs}`,
          twofold: await measureTotp(ours, 'twofold'),
          betterAuth: baTotp,
        });
      } finally {
        await ours.served.close();
      }
    }
  } finally {
    await peer.served.close();
  }
} finally {
  await loader.close();
  await backgroundLoader.close();
  await dropSchemas(schemas);
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '-');
const failed = (result: Measured) => {
  const causes = Object.entries(result.failures).map(([cause, count]) => `${count} × ${cause}`);
  if (result.exhausted) causes.push('users ran out');
  return causes.length === 0 ? '0' : causes.join(', ');
};
console.log(
  '\nTwofold beside Better Auth (twoFactor plugin), same PostgreSQL, node:http on the main thread; ' +
    `sessions at ${SESSION_CONNECTIONS} connections, logins at ${LOGIN_CONNECTIONS}; ops/s = ` +
    "answers (session) or completed logins per second; CPU = main-thread µs per op (not PostgreSQL's). " +
    "Better Auth's defaults: scrypt 2^14 r=16 through node:crypto, as many at once as logins arrive " +
    '(the libuv pool runs 4); Twofold hashes one fewer at a time than the cores by default, so that ' +
    'other requests keep a core while logins run (see the server bench)',
);
console.table(
  rows.map(({ what, twofold: ours, betterAuth: peer }) => ({
    row: what,
    'Twofold ops/s': ours.perSecond.toFixed(ours.perSecond < 100 ? 1 : 0),
    'Better Auth ops/s': peer.perSecond.toFixed(peer.perSecond < 100 ? 1 : 0),
    'Twofold ÷ Better Auth': (ours.perSecond / peer.perSecond).toFixed(2),
    'p99 ms (T / BA)': `${ms(ours.p99)} / ${ms(peer.p99)}`,
    'CPU µs/op (T / BA)': `${ours.cpuMicros.toFixed(0)} / ${peer.cpuMicros.toFixed(0)}`,
    'failed (T / BA)': `${failed(ours)} / ${failed(peer)}`,
  })),
);
// The goal: ahead on every row at equal cost. At Twofold's default concurrency it is behind on
// login throughput by design (one hash at a time on 2 cores keeps a core for other requests);
// the equal-concurrency rows compare the rest of the login path.
for (const { what, twofold: ours, betterAuth: peer } of rows.filter(
  (row) => row.what.includes('equal costs') || row.what.startsWith('session'),
)) {
  const ahead = ours.perSecond > peer.perSecond;
  console.log(
    `${ahead ? 'met   ' : 'MISSED'} ahead of Better Auth: ${what}: ${(ours.perSecond / peer.perSecond).toFixed(2)} x`,
  );
}

// `pnpm bench` (server part): HTTP throughput of the reference server over node:http, against a
// bare node:http server answering the same JSON, in one process: the servers run on the main
// thread, autocannon runs in a worker thread (so load generation and serving do not share an
// event loop), loopback only. Measured: GET /api/v1/mfa/status (bearer token) and login+MFA
// round trips (password, then challenge + backup code), on the memory, PGlite and PostgreSQL stores;
// and status latency while logins hash passwords at the production cost, with each hasher.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Http2Bindings, type HttpBindings, serve as honoServe } from '@hono/node-server';
import { databaseUrl, dropSchemas, postgresReachableAt } from '@twofold/testing';
import {
  type PasswordHasher,
  RECOMMENDED_SCRYPT,
  scryptPasswordHasher,
} from '../src/crypto/password-hasher.js';
import { nodePasswordHasher } from '../src/node/node-scrypt.js';
import { serve } from '../src/node/serve.js';
import type { TwofoldServerOptions } from '../src/options.js';
import { createPGliteStore, createPostgresStore } from '../src/postgres.js';
import { createTwofoldServer, type TwofoldServer } from '../src/server.js';
import { MemoryStore } from '../src/store/memory-store.js';
import type { Store } from '../src/store/store.js';
import {
  backgroundLoader,
  listen,
  loader,
  type Measured,
  SECONDS,
  tracked,
  WARMUP_SECONDS,
  warmThenMeasure,
} from './harness.js';
import type { LoadJob, LoadResult, LoginPair } from './load-worker.js';

const CONNECTIONS = 20;
/** Users seeded with MFA per store; each brings 10 single-use backup codes. */
const MFA_USERS = 200;
const PASSWORD = 'correct horse battery staple';
const STATUS_PATH = '/api/v1/mfa/status';
const LOGIN_PATH = '/api/v1/auth/login';
/** What GET /mfa/status answers for a user without MFA; the reference answers it too. */
const STATUS_BODY = JSON.stringify({
  success: true,
  data: { enabled: false, methods: [], backup_codes_remaining: 0 },
});
/** Every request comes from 127.0.0.1: the per-address limit would count all users as one. */
const LIMITS = { attemptsPerClient: 1_000_000 };
const CHEAP_SCRYPT = { logN: 10, r: 8, p: 1 };

// ---------------------------------------------------------------------------------------------
// The reference: bare node:http, the same JSON body.

async function measureReference(): Promise<Measured> {
  const body = Buffer.from(STATUS_BODY);
  const server = createServer((_request, response) => {
    response.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': String(body.byteLength),
    });
    response.end(body);
  });
  const origin = await listen(server);
  try {
    return await warmThenMeasure(
      (seconds) => ({
        kind: 'get',
        origin,
        path: STATUS_PATH,
        headers: {},
        connections: CONNECTIONS,
        seconds,
      }),
      async () => {},
    );
  } finally {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

/**
 * Not a target, an explanation: `serve()` with a handler that answers the same JSON at once,
 * i.e. what the adapter costs before any handler runs. `handle` is the path a Twofold server
 * takes (plain answers written as they are); `fetch` the one any other handler takes (a Web
 * Request built, a Response read back).
 */
async function measureAdapter(entry: 'handle' | 'fetch'): Promise<Measured> {
  const counted = tracked({
    handle: async () => ({
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: STATUS_BODY,
    }),
    fetch: async () =>
      new Response(STATUS_BODY, { headers: { 'Content-Type': 'application/json' } }),
  });
  const handler = entry === 'handle' ? { handle: counted.handle } : { fetch: counted.fetch };
  const running = await serve(handler, { port: 0, handleSignals: false });
  try {
    return await warmThenMeasure(
      (seconds) => ({
        kind: 'get',
        origin: running.url,
        path: STATUS_PATH,
        headers: {},
        connections: CONNECTIONS,
        seconds,
      }),
      counted.idle,
    );
  } finally {
    await running.close();
    await counted.idle();
  }
}

// ---------------------------------------------------------------------------------------------
// The stores.

interface OpenedStore {
  store: Store;
  /** Closes the store and removes what it left (directory, schema). */
  cleanup(): Promise<void>;
}

interface StoreKind {
  name: string;
  /** The store, or why it is not measured. */
  open(): Promise<OpenedStore | string>;
}

/** The URL without its password, for printing. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

const STORES: StoreKind[] = [
  {
    name: 'memory',
    async open() {
      const store = new MemoryStore();
      return { store, cleanup: () => store.close() };
    },
  },
  {
    name: 'PGlite',
    async open() {
      const dataDir = await mkdtemp(join(tmpdir(), 'twofold-bench-pglite-'));
      const removeDir = () => rm(dataDir, { recursive: true, force: true });
      try {
        const store = await createPGliteStore({ dataDir });
        return {
          store,
          cleanup: async () => {
            await store.close();
            await removeDir();
          },
        };
      } catch (error) {
        await removeDir();
        throw error;
      }
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      if (!(await postgresReachableAt()))
        return `not measured (no server at ${redacted(databaseUrl)})`;
      const schema = `twofold_bench_${process.pid}_${Date.now().toString(36)}`;
      try {
        const store = await createPostgresStore({ connectionString: databaseUrl, schema });
        return {
          store,
          cleanup: async () => {
            await store.close();
            await dropSchemas([schema]);
          },
        };
      } catch (error) {
        await dropSchemas([schema]).catch(() => {});
        throw error;
      }
    },
  },
];

// ---------------------------------------------------------------------------------------------
// One store: a server on it, a status user and MFA users, then both measurements.

async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/** An access token of a user without MFA (so that the status body equals the reference's). */
async function statusToken(server: TwofoldServer, origin: string): Promise<string> {
  await server.admin.createUser({
    username: 'status',
    email: 'status@bench.test',
    password: PASSWORD,
  });
  const login = await postJson(`${origin}${LOGIN_PATH}`, {
    username: 'status',
    password: PASSWORD,
  });
  const token = (login.json as { data?: { access_token?: string } }).data?.access_token;
  if (login.status !== 200 || token === undefined)
    throw new Error(`login of the status user failed: ${JSON.stringify(login.json)}`);
  const status = await fetch(`${origin}${STATUS_PATH}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await status.text();
  if (status.status !== 200 || text !== STATUS_BODY)
    throw new Error(`GET ${STATUS_PATH} answered ${status.status} ${text}, not ${STATUS_BODY}`);
  return token;
}

/** Seeds MFA users; pairs are ordered round-robin over users, so no user has two in flight. */
async function seedPairs(server: TwofoldServer, users = MFA_USERS): Promise<LoginPair[]> {
  const codesByUser: { username: string; codes: string[] }[] = [];
  for (let first = 0; first < users; first += 10) {
    const batch = Array.from({ length: Math.min(10, users - first) }, async (_, offset) => {
      const username = `mfa${first + offset}`;
      const seeded = await server.admin.createUser({
        username,
        email: `${username}@bench.test`,
        password: PASSWORD,
        mfa: {},
      });
      return { username, codes: seeded.backupCodes ?? [] };
    });
    codesByUser.push(...(await Promise.all(batch)));
  }
  const pairs: LoginPair[] = [];
  const perUser = Math.max(...codesByUser.map((user) => user.codes.length));
  for (let index = 0; index < perUser; index++) {
    for (const { username, codes } of codesByUser) {
      const code = codes[index];
      if (code !== undefined) pairs.push({ username, password: PASSWORD, code });
    }
  }
  return pairs;
}

interface StoreResult {
  status: Measured;
  login: Measured;
  pairs: number;
}

/**
 * A production server with fresh keys and the bench's limits, served on a free port; `close()`
 * stops it once every request in flight is answered.
 */
async function benchServer(
  options: Pick<TwofoldServerOptions, 'store' | 'passwordHasher' | 'maxConcurrentPasswordHashes'>,
  adapter: 'serve' | 'hono' = 'serve',
) {
  const server = createTwofoldServer({
    mode: 'production',
    mailer: { send: async () => {} },
    secret: randomBytes(32).toString('base64url'),
    encryptionKey: randomBytes(32).toString('base64url'),
    limits: LIMITS,
    ...options,
  });
  await server.ready;
  const counted = tracked(server);
  const running =
    adapter === 'serve'
      ? await serve(counted, { port: 0, handleSignals: false })
      : await honoServed(counted);
  return {
    server,
    origin: running.url,
    idle: counted.idle,
    async close() {
      await running.close();
      await counted.idle();
    },
  };
}

/**
 * The server's `fetch` behind `@hono/node-server` (the adapter the issue measured best), with
 * its defaults: it replaces the global Request and Response with lazy ones, for the whole
 * process — which is why it is measured last.
 */
async function honoServed(server: Pick<TwofoldServer, 'fetch'>) {
  const httpServer = await new Promise<Server>((resolve) => {
    const started = honoServe(
      {
        fetch: (request: Request, env: HttpBindings | Http2Bindings) =>
          server.fetch(request, { clientAddress: env.incoming.socket.remoteAddress }),
        port: 0,
        hostname: '127.0.0.1',
      },
      () => resolve(started as Server),
    );
  });
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      }),
  };
}

async function measureStore(
  store: Store,
  adapter: 'serve' | 'hono' = 'serve',
): Promise<StoreResult> {
  const bench = await benchServer(
    { store, passwordHasher: scryptPasswordHasher(CHEAP_SCRYPT) },
    adapter,
  );
  const { server, origin } = bench;
  try {
    const token = await statusToken(server, origin);
    const pairs = await seedPairs(server);
    const headers = { authorization: `Bearer ${token}` };
    const status = await warmThenMeasure(
      (seconds) => ({
        kind: 'get',
        origin,
        path: STATUS_PATH,
        headers,
        connections: CONNECTIONS,
        seconds,
      }),
      bench.idle,
    );
    const login = await warmThenMeasure(
      (seconds, warmup) => ({
        kind: 'login',
        origin,
        pairs,
        firstPair: warmup?.nextPair ?? 0,
        connections: CONNECTIONS,
        seconds,
      }),
      bench.idle,
    );
    return { status, login, pairs: pairs.length };
  } finally {
    await bench.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Status while logins run (issue 13 item 4): at the production cost a password hash takes
// ~0.3 s of CPU; on the main thread (noble's scrypt) it stalls every other request for as long,
// on the libuv pool (node:crypto) it does not. Memory store, status p99 idle and under a login
// load of LOGIN_CONNECTIONS round trips at a time.

const LOGIN_CONNECTIONS = 4;
/** Enough MFA users for the seconds measured at ~10 logins/s; each costs a hash to seed. */
const HASHED_USERS = 20;

interface StallResult {
  idle: LoadResult;
  busy: LoadResult;
  logins: LoadResult;
}

async function measureStall(
  hasher: PasswordHasher,
  maxConcurrentPasswordHashes?: number,
): Promise<StallResult> {
  const bench = await benchServer({
    store: new MemoryStore(),
    passwordHasher: hasher,
    ...(maxConcurrentPasswordHashes === undefined ? {} : { maxConcurrentPasswordHashes }),
  });
  const { server, origin } = bench;
  try {
    const token = await statusToken(server, origin);
    const pairs = await seedPairs(server, HASHED_USERS);
    const status = (seconds: number): LoadJob => ({
      kind: 'get',
      origin,
      path: STATUS_PATH,
      headers: { authorization: `Bearer ${token}` },
      connections: CONNECTIONS,
      seconds,
    });
    const idle = await warmThenMeasure(status, bench.idle);
    const [busy, logins] = await Promise.all([
      loader.run(status(SECONDS)),
      backgroundLoader.run({
        kind: 'login',
        origin,
        pairs,
        firstPair: 0,
        connections: LOGIN_CONNECTIONS,
        seconds: SECONDS,
      }),
    ]);
    await bench.idle();
    return { idle, busy, logins };
  } finally {
    await bench.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Run and print.

console.log(
  `server bench: loopback, autocannon in a worker thread, ${CONNECTIONS} connections, ` +
    `${WARMUP_SECONDS} s warm-up + ${SECONDS} s per measurement`,
);
console.log(
  `login round trips use a cheap password hasher (noble scrypt logN=${CHEAP_SCRYPT.logN}, r=8, p=1, ` +
    'not the production N=2^17) and limits.attemptsPerClient raised to 1e6 (every request ' +
    'comes from 127.0.0.1); attemptsPerUser stays 5 (no user has two round trips in flight)',
);

const measured: { name: string; result: StoreResult | string }[] = [];
const stalls: { hasher: string; result: StallResult }[] = [];
let reference: Measured;
let adapterHandle: Measured;
let adapterFetch: Measured;
let hono: StoreResult;
try {
  reference = await measureReference();
  adapterHandle = await measureAdapter('handle');
  adapterFetch = await measureAdapter('fetch');
  stalls.push({
    hasher: 'noble scrypt, main thread (the default where node:crypto is missing)',
    result: await measureStall(scryptPasswordHasher(RECOMMENDED_SCRYPT)),
  });
  stalls.push({
    hasher: 'node:crypto scrypt, libuv pool, 4 at a time (the default on 5+ cores)',
    result: await measureStall(nodePasswordHasher(RECOMMENDED_SCRYPT)),
  });
  // Fewer hashes at once leave the event loop a core on the 2-core machines.
  stalls.push({
    hasher: 'node:crypto scrypt, libuv pool, 1 at a time (the default on 2 cores)',
    result: await measureStall(nodePasswordHasher(RECOMMENDED_SCRYPT), 1),
  });
  for (const kind of STORES) {
    const opened = await kind.open();
    if (typeof opened === 'string') {
      measured.push({ name: kind.name, result: opened });
      continue;
    }
    try {
      measured.push({ name: kind.name, result: await measureStore(opened.store) });
    } finally {
      await opened.cleanup();
    }
  }
  // Last: @hono/node-server swaps the global Request and Response for the rest of the process.
  hono = await measureStore(new MemoryStore(), 'hono');
} finally {
  await loader.close();
  await backgroundLoader.close();
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '-');
function failures(result: LoadResult): string {
  const causes = Object.entries(result.failures).map(([cause, count]) => `${count} × ${cause}`);
  if (result.exhausted) causes.push('backup codes ran out');
  return causes.length === 0 ? '0' : causes.join(', ');
}
function ratio(perSecond: number): string {
  const value = perSecond / reference.perSecond;
  return value >= 0.1 ? value.toFixed(2) : value.toPrecision(2);
}
/** Reference CPU over this row's: 1 means as cheap as bare node:http, 0.5 twice the CPU. */
function cpuRatio(result: Measured): string {
  return (reference.cpuMicros / result.cpuMicros).toFixed(2);
}
function statusRow(server: string, result: Measured) {
  return {
    server,
    'req/s': Math.round(result.perSecond),
    'p50 ms': ms(result.p50),
    'p99 ms': ms(result.p99),
    'x reference': ratio(result.perSecond),
    'CPU µs/req': result.cpuMicros.toFixed(0),
    'x reference CPU': cpuRatio(result),
    failed: failures(result),
  };
}

console.log(
  `\nGET ${STATUS_PATH} (bearer token), req/s and latency of 2xx answers; CPU µs/req is the ` +
    "main thread's CPU time per answer (server, PGlite included; not PostgreSQL's, not the load " +
    "generator's); x reference CPU = the reference's µs/req over the row's",
);
console.table([
  statusRow('bare node:http, same JSON (reference)', reference),
  statusRow('serve() + constant handle() (adapter only, diagnostic)', adapterHandle),
  statusRow('serve() + constant fetch handler (Web Request/Response path)', adapterFetch),
  ...measured.map(({ name, result }) =>
    typeof result === 'string'
      ? { server: `${name}: ${result}` }
      : statusRow(`serve() + ${name} store`, result.status),
  ),
  statusRow('@hono/node-server + fetch(), memory store (comparison)', hono.status),
]);

console.log(
  `\nLogin + MFA round trip (POST ${LOGIN_PATH} → MFA_REQUIRED, then challenge + backup code), ` +
    'cheap hasher; req/s = 2 × round trips/s; x reference = req/s over the reference req/s',
);
function loginRow(store: string, result: StoreResult) {
  return {
    store,
    'round trips/s': Math.round(result.login.perSecond),
    'req/s': Math.round(2 * result.login.perSecond),
    'p50 ms': ms(result.login.p50),
    'p99 ms': ms(result.login.p99),
    'x reference': ratio(2 * result.login.perSecond),
    'CPU µs/round trip': result.login.cpuMicros.toFixed(0),
    failed: failures(result.login),
    'codes seeded': result.pairs,
  };
}
console.table([
  ...measured.map(({ name, result }) =>
    typeof result === 'string' ? { store: `${name}: ${result}` } : loginRow(name, result),
  ),
  loginRow('memory, behind @hono/node-server (comparison)', hono),
]);

console.log(
  `\nGET ${STATUS_PATH} on memory while logins run at the production cost (scrypt N=2^17), ` +
    `${LOGIN_CONNECTIONS} login round trips at a time; target: busy p99 within 3 x idle p99`,
);
console.table(
  stalls.map(({ hasher, result }) => ({
    hasher,
    'idle p99 ms': ms(result.idle.p99),
    'busy p99 ms': ms(result.busy.p99),
    'busy / idle p99': (result.busy.p99 / result.idle.p99).toFixed(1),
    'busy req/s': Math.round(result.busy.perSecond),
    'logins/s': result.logins.perSecond.toFixed(1),
    failed: failures(result.busy),
  })),
);

const statusOf = (name: string) => {
  const result = measured.find((row) => row.name === name)?.result;
  return typeof result === 'object' ? result.status : undefined;
};
const memory = statusOf('memory');
const pglite = statusOf('PGlite');
const postgres = statusOf('PostgreSQL');
const cpuTimes = (result: Measured) => reference.cpuMicros / result.cpuMicros;
const targets: (readonly [string, boolean])[] = [
  [
    `serve() + constant handle() >= 0.6 x bare node:http: ${ratio(adapterHandle.perSecond)} x req/s, ${cpuRatio(adapterHandle)} x CPU`,
    adapterHandle.perSecond >= 0.6 * reference.perSecond && cpuTimes(adapterHandle) >= 0.6,
  ],
];
if (memory !== undefined) {
  targets.push([
    `GET /mfa/status on memory >= 0.5 x bare node:http (ARCHITECTURE budget): ${ratio(memory.perSecond)} x req/s, ${cpuRatio(memory)} x CPU`,
    memory.perSecond >= 0.5 * reference.perSecond && cpuTimes(memory) >= 0.5,
  ]);
}
if (pglite !== undefined && postgres !== undefined) {
  const times = pglite.perSecond / postgres.perSecond;
  targets.push([
    `GET /mfa/status on PGlite >= 0.5 x the PostgreSQL row, p99 < 50 ms: ${times.toFixed(2)} x, p99 ${ms(pglite.p99)} ms`,
    times >= 0.5 && pglite.p99 < 50,
  ]);
}
for (const { hasher, result } of stalls.filter((row) => row.hasher.startsWith('node:crypto'))) {
  const times = result.busy.p99 / result.idle.p99;
  targets.push([
    `GET /mfa/status p99 while logins run (${hasher}) within 3 x idle p99: ${times.toFixed(1)} x`,
    times <= 3,
  ]);
}
for (const [target, met] of targets) console.log(`${met ? 'met   ' : 'MISSED'} ${target}`);

// `pnpm bench` (client part): the SDK's own CPU per call. `client.mfa.status()` against a plain
// `fetch` + JSON parse of the same answer, both through one in-memory fetch that answers a
// prebuilt body: no network and no server, so what is measured is the client's work alone.
// Alternating rounds in one process; the median round of each is printed, and the ratio.

import { createClient, type Session } from '../src/index.js';

const BASE_URL = 'http://127.0.0.1:8787';
const STATUS_URL = `${BASE_URL}/api/v1/mfa/status`;
const STATUS_BODY = JSON.stringify({
  success: true,
  data: { enabled: true, methods: ['totp'], backup_codes_remaining: 10 },
});
const CALLS = 20_000;
const ROUNDS = 5;
/** The target: an SDK call costs at most twice a plain fetch. */
const TARGET = 2;

/** The same answer every time, as a server would send it. */
const answer: typeof fetch = async () =>
  new Response(STATUS_BODY, {
    status: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });

const session: Session = {
  accessToken: 'bench-access-token',
  refreshToken: 'bench-refresh-token',
  tokenType: 'Bearer',
  // Far from expiry: no refresh during the run.
  expiresAt: Date.now() + 24 * 3600 * 1000,
  user: { id: 'usr_bench', username: 'bench', roles: [], permissions: [] },
};

const client = createClient({
  baseUrl: BASE_URL,
  fetch: answer,
  tokenStore: { get: () => session, set: () => {} },
});

async function plainFetch(): Promise<unknown> {
  const response = await answer(STATUS_URL, {
    headers: { Authorization: `Bearer ${session.accessToken}` },
  });
  return response.json();
}

const sdkCall = () => client.mfa.status();

/** CPU µs per call over `CALLS` sequential calls (what one user's page does). */
async function cpuPerCall(call: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  for (let index = 0; index < CALLS; index++) await call();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / CALLS;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? NaN;

// The SDK must answer what the server sent before its cost means anything.
const status = await sdkCall();
if (status.enabled !== true || status.backupCodesRemaining !== 10) {
  throw new Error(`client.mfa.status() answered ${JSON.stringify(status)}`);
}
await cpuPerCall(plainFetch);
await cpuPerCall(sdkCall);
const plain: number[] = [];
const sdk: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  plain.push(await cpuPerCall(plainFetch));
  sdk.push(await cpuPerCall(sdkCall));
}

const ratio = median(sdk) / median(plain);
console.log(
  `client bench: ${CALLS} sequential calls per round, ${ROUNDS} rounds alternating, median round; ` +
    'CPU of this process (no server: an in-memory fetch answers)',
);
console.table([
  {
    call: 'plain fetch + response.json() (reference)',
    'CPU µs/call': median(plain).toFixed(1),
    'x reference': '1.00',
  },
  {
    call: 'client.mfa.status()',
    'CPU µs/call': median(sdk).toFixed(1),
    'x reference': ratio.toFixed(2),
  },
]);
console.log(
  `${ratio <= TARGET ? 'met   ' : 'MISSED'} client.mfa.status() within ${TARGET} x a plain fetch: ${ratio.toFixed(2)} x`,
);

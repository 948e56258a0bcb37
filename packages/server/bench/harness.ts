// What the server and peer benches share: the load generator in a worker thread, a warm-up run
// before each measured one, the main thread's CPU per operation, and in-flight counting.

import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Answer, IncomingRequest } from '../src/http/exchange.js';
import type { ConnectionInfo, TwofoldServer } from '../src/server.js';
import type { LoadJob, LoadResult } from './load-worker.js';

export const WARMUP_SECONDS = 1;
export const SECONDS = 5;

// ---------------------------------------------------------------------------------------------
// The load generator: one worker thread (load-worker.ts, TypeScript through tsx's API, as
// `--import tsx` does not reach worker threads on Node 20), one run per message.

const tsxApi = import.meta.resolve('tsx/esm/api');
const workerModule = new URL('./load-worker.ts', import.meta.url).href;
const workerSource = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(workerModule)}); })`;

export class Loader {
  readonly #worker = new Worker(workerSource, { eval: true });
  #pending: { resolve: (result: LoadResult) => void; reject: (error: Error) => void } | undefined;

  constructor() {
    this.#worker.on('message', (message: LoadResult | { error: string }) => {
      const pending = this.#pending;
      this.#pending = undefined;
      if ('error' in message) pending?.reject(new Error(`load worker: ${message.error}`));
      else pending?.resolve(message);
    });
    this.#worker.on('error', (error) => this.#pending?.reject(error));
  }

  run(job: LoadJob): Promise<LoadResult> {
    if (this.#pending !== undefined) throw new Error('one run at a time');
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}

export const loader = new Loader();
/** A second load generator, for a second load at the same time (status while logins run). */
export const backgroundLoader = new Loader();

/** A run and the main thread's CPU time per operation (the servers all run on it). */
export interface Measured extends LoadResult {
  /**
   * CPU time of the main thread over the run, per successful operation, in µs: the server's
   * CPU per request, without the load generator's (another thread) or PostgreSQL's.
   */
  cpuMicros: number;
}

/**
 * The main thread's CPU time so far, in µs: Linux's per-thread counters (the main thread's id
 * is the process id), in clock ticks of 10 ms, plenty over a 5 s run. Elsewhere, event-loop busy
 * time, which also counts the time the thread waited for a core.
 */
export const mainThreadCpu = ((): (() => number) => {
  const statPath = `/proc/self/task/${process.pid}/stat`;
  try {
    readFileSync(statPath, 'utf8');
  } catch {
    return () => performance.eventLoopUtilization().active * 1000;
  }
  return () => {
    const stat = readFileSync(statPath, 'utf8');
    // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  };
})();

/**
 * A warm-up run, then the measured run; after each, waits until the server has answered every
 * request the run left in flight, so that no run pays for the previous one's backlog.
 */
export async function warmThenMeasure(
  job: (seconds: number, warmup?: LoadResult) => LoadJob,
  idle: () => Promise<void>,
): Promise<Measured> {
  const warmup = await loader.run(job(WARMUP_SECONDS));
  await idle();
  const before = mainThreadCpu();
  const result = await loader.run(job(SECONDS, warmup));
  await idle();
  return { ...result, cpuMicros: (mainThreadCpu() - before) / Math.max(1, result.succeeded) };
}

/**
 * Counts the requests the server is still working on (a run stops without waiting for them),
 * on both entry points: `fetch` (Web Request/Response) and `handle` (what serve() uses).
 */
export function tracked(server: Pick<TwofoldServer, 'fetch' | 'handle'>) {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  async function counted<T>(work: () => Promise<T>): Promise<T> {
    inFlight++;
    try {
      return await work();
    } finally {
      inFlight--;
      if (inFlight === 0) for (const resolve of waiting.splice(0)) resolve();
    }
  }
  return {
    fetch: (request: Request, connection?: ConnectionInfo): Promise<Response> =>
      counted(() => server.fetch(request, connection)),
    handle: (request: IncomingRequest, connection?: ConnectionInfo): Promise<Answer> =>
      counted(() => server.handle(request, connection)),
    async idle(): Promise<void> {
      if (inFlight === 0) return;
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<void>((resolve) => waiting.push(resolve));
      const stuck = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${inFlight} requests stuck for 30 s`)), 30_000);
      });
      await Promise.race([idle, stuck]).finally(() => clearTimeout(timer));
    },
  };
}

/** Listens on a free loopback port; resolves with the origin. */
export function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}`);
    });
  });
}

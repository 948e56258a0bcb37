import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type HttpDriver, httpDriver } from './http-driver.js';
import { cleanUpAtTestEnd } from './test-end.js';

/** The repository root (child processes run there). */
export const repoRoot: string = fileURLToPath(new URL('../../..', import.meta.url));

/** The reference server app's entry point, run from its TypeScript sources. */
export const appMain: string = `${repoRoot}apps/server/src/main.ts`;

/** A child process with its output collected; every wait on it is bounded. */
export interface TestProcess {
  child: ChildProcess;
  /** The first match of `pattern` in stdout; throws with the output on timeout or exit. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** The exit code; throws with the output when the process outlives `timeoutMs`. */
  exit(timeoutMs: number): Promise<number | null>;
  /** Signals the whole process group (pnpm, its shell and node). */
  signal(name: NodeJS.Signals): void;
  output(): { stdout: string; stderr: string };
}

/**
 * Process groups still running, killed when the test process exits: a timed-out test never
 * reaches its cleanup, and a detached group would outlive it.
 */
const live = new Set<() => void>();
process.once('exit', () => {
  for (const kill of live) kill();
});

/**
 * Spawns `command` in its own process group, collecting its output, so a test can wait for a
 * line, for the exit, or kill everything it started — and never hang.
 *
 * @example
 * ```ts
 * const child = run('node', ['--version']);
 * expect(await child.exit(10_000)).toBe(0);
 * ```
 */
export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): TestProcess {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  // Resolved on exit, once its output is in: stdio closes after the exit, and a process left in
  // the group could keep it open, so at most a second later.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      const grace = setTimeout(() => resolve(code), 1_000);
      void closed.then(() => {
        clearTimeout(grace);
        resolve(code);
      });
    }),
  );

  async function waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = pattern.exec(stdout);
      if (match) return match;
      if (child.exitCode !== null || child.signalCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const match = pattern.exec(stdout);
    if (match) return match;
    throw new Error(`no ${pattern} in output.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  }

  async function exit(timeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const code = await Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
    if (code === 'timeout')
      throw new Error(
        `process did not exit in ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`,
      );
    return code;
  }

  function signal(name: NodeJS.Signals): void {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, name);
      } catch {
        // already gone
      }
    }
  }

  const killGroup = () => signal('SIGKILL');
  live.add(killGroup);
  child.once('exit', () => live.delete(killGroup));
  // Started inside a test: killed when it ends, even by a timeout (whose `finally` never runs).
  cleanUpAtTestEnd(killGroup);

  return { child, waitFor, exit, signal, output: () => ({ stdout, stderr }) };
}

/** A TypeScript file run by Node through tsx, workspace packages from their sources. */
export function runTypeScript(
  file: string,
  args: string[] = [],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): TestProcess {
  return run(
    process.execPath,
    ['--conditions=@twofold/source', '--import', 'tsx', file, ...args],
    options,
  );
}

/** pnpm as the test runner itself was started (`npm_execpath`), or the pinned version by npx. */
export function pnpm(): { command: string; args: string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath?.includes('pnpm')) return { command: process.execPath, args: [execPath] };
  return { command: 'npx', args: ['-y', 'pnpm@10.34.9'] };
}

/** `apps/server` from its sources with `args` and `env` (no port or clean settings added). */
export function appFromSource(args: string[], env: NodeJS.ProcessEnv): TestProcess {
  return runTypeScript(appMain, args, { env });
}

/** A running `apps/server`: its process, URL and an HTTP driver for it. */
export interface RunningApp extends TestProcess {
  url: string;
  api: HttpDriver;
}

/**
 * `apps/server` from source on a free port in development mode, every setting the caller's
 * environment might leak cleared, passwords hashed at the lowest cost (scrypt 2^10), `env` on top; resolves once it says it is listening.
 *
 * @example
 * ```ts
 * const app = await startApp({ TWOFOLD_DATA_DIR: dataDir });
 * try { await app.api.newUser(); } finally { await stopApp(app); }
 * ```
 */
export async function startApp(
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
): Promise<RunningApp> {
  const app = appFromSource(['--port', '0'], {
    TWOFOLD_MODE: 'development',
    PORT: '',
    HOST: '',
    TWOFOLD_PUBLIC_URL: '',
    TWOFOLD_VERIFY_URL: '',
    TWOFOLD_CORS_ORIGINS: '',
    TWOFOLD_TRUST_PROXY: '',
    SMTP_URL: '',
    DATABASE_URL: '',
    TWOFOLD_SECRET: '',
    TWOFOLD_ENCRYPTION_KEY: '',
    TWOFOLD_PREVIOUS_ENCRYPTION_KEYS: '',
    TWOFOLD_RP_ID: '',
    TWOFOLD_RP_NAME: '',
    TWOFOLD_ORIGINS: '',
    TWOFOLD_WEBAUTHN_USER_VERIFICATION: '',
    TWOFOLD_WEBAUTHN_AAGUIDS: '',
    TWOFOLD_TOTP_ISSUER: '',
    // The cheapest password hashing development allows: tests register hundreds of users, and
    // at the default 2^17 each one costs 0.3 s of CPU. A test of the default passes its own;
    // production refuses 10, so a production start keeps the default.
    TWOFOLD_SCRYPT_LOG_N: env.TWOFOLD_MODE === 'production' ? '' : '10',
    ...env,
  });
  try {
    const [, url] = await app.waitFor(
      /^Twofold reference server listening on (http:\/\/127\.0\.0\.1:\d+)$/m,
      timeoutMs,
    );
    return { ...app, url: url as string, api: httpDriver({ baseUrl: url as string }) };
  } catch (error) {
    app.signal('SIGKILL');
    throw error;
  }
}

/**
 * Stops a process group with `signal` and waits (bounded) until it is gone; if it outlives a
 * gentler signal, SIGKILL follows.
 */
export async function stopApp(
  app: Pick<TestProcess, 'signal' | 'exit'> | undefined,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<void> {
  if (app === undefined) return;
  app.signal(signal);
  try {
    await app.exit(15_000);
  } catch (error) {
    if (signal === 'SIGKILL') throw error;
    app.signal('SIGKILL');
    await app.exit(5_000);
  }
}

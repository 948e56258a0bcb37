import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const appDir = fileURLToPath(new URL('..', import.meta.url));

/** A child process with its output collected, waited on with limits so a test never hangs. */
export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
) {
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
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  async function waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = pattern.exec(stdout);
      if (match) return match;
      if (child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no ${pattern} in output.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  }

  async function exit(timeoutMs: number): Promise<number | null> {
    const timer = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), timeoutMs),
    );
    const code = await Promise.race([exited, timer]);
    if (code === 'timeout')
      throw new Error(
        `process did not exit in ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`,
      );
    return code;
  }

  /** Signals the whole process group (pnpm, its shell and node). */
  function signal(name: NodeJS.Signals): void {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, name);
      } catch {
        // already gone
      }
    }
  }

  return { child, waitFor, exit, signal, output: () => ({ stdout, stderr }) };
}

/** pnpm as the test runner itself was started (`npm_execpath`), or the pinned version by npx. */
export function pnpm(): { command: string; args: string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath?.includes('pnpm')) return { command: process.execPath, args: [execPath] };
  return { command: 'npx', args: ['-y', 'pnpm@10.34.9'] };
}

/** The app from its TypeScript sources, with workspace packages from theirs. */
export function appFromSource(args: string[], env: NodeJS.ProcessEnv) {
  return run(
    process.execPath,
    ['--conditions=@twofold/source', '--import', 'tsx', `${appDir}src/main.ts`, ...args],
    { env },
  );
}

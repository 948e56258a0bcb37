import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from './app-process.js';

const locksDir = join(repoRoot, 'node_modules', '.cache', 'twofold-locks');

/** Whether a process with this pid still runs (a lock of a killed test is free). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `task` while no other test process of this checkout holds the lock `name`: test files
 * run in parallel workers, and two of them must not build and read the packages' `dist/` at
 * once (`pnpm start` rebuilds it while the consumer test packs it). A lock left by a process
 * that died is taken over; waiting longer than `timeoutMs` throws.
 *
 * @example
 * ```ts
 * const packed = await withRepoLock('dist', () => packPackages(dir));
 * ```
 */
export async function withRepoLock<T>(
  name: string,
  task: () => Promise<T>,
  timeoutMs = 300_000,
): Promise<T> {
  const lock = join(locksDir, name);
  const deadline = Date.now() + timeoutMs;
  mkdirSync(locksDir, { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock); // atomic: exactly one process creates it
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder = Number.NaN;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // Created a moment ago, its pid not written yet: wait like for a live holder.
      }
      if (Number.isInteger(holder) && !alive(holder)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`lock ${name} held by ${holder} for too long`);
      await sleep(200);
    }
  }
  try {
    return await task();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

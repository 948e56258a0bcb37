/** Held while a process has a PGlite directory open; `release` removes the lock file. */
export interface DirectoryLock {
  release(): void;
}

const LOCK_FILE = 'twofold.lock';

/**
 * Another running process has the PGlite directory open; the message says which, and what to do.
 *
 * @example
 * ```ts
 * import { createPGliteStore, DirectoryInUseError } from '@twofold/server/postgres';
 * const first = await createPGliteStore({ dataDir: '.twofold/locked' });
 * const second = await createPGliteStore({ dataDir: '.twofold/locked' }).catch((error: unknown) => error);
 * second instanceof DirectoryInUseError; // true
 * await first.close();
 * ```
 */
export class DirectoryInUseError extends Error {
  override name = 'DirectoryInUseError';
}

/** Whether a process with this id is running (a signal 0 reaches it, or it is not ours to signal). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Takes `directory` for this process, or throws naming the process that has it. PGlite is one
 * process's database: a second process on the same directory would see only its own writes and
 * lose acknowledged ones at the next restart, silently. The lock is a file holding the owner's
 * process id, created exclusively; one left by a process that is gone is taken over.
 */
export async function lockDirectory(directory: string): Promise<DirectoryLock> {
  const { closeSync, openSync, readFileSync, unlinkSync, writeSync } = await import('node:fs');
  const { join } = await import('node:path');
  const path = join(directory, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return {
        release() {
          try {
            if (readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(owner) && owner > 0 && running(owner)) {
        throw new DirectoryInUseError(
          `the PGlite directory ${directory} is in use by process ${owner}: one process per directory (two would lose data); stop it, or give this one another --data-dir`,
        );
      }
      // Left by a process that is gone: take it over.
      unlinkSync(path);
    }
  }
  throw new Error(
    `could not lock the PGlite directory ${directory}: another process keeps taking it`,
  );
}

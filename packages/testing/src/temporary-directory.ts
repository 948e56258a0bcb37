import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, onTestFinished } from 'vitest';
import { seedPGliteDirectory } from './pglite-template.js';

/**
 * A new empty directory under the system's temp dir, removed with what a test put in it (such
 * as a ~40 MB PGlite database): when the test ends if made inside a test, else when the file's
 * tests end.
 */
export function temporaryDirectory(prefix = 'twofold-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  if (expect.getState().currentTestName === undefined) afterAll(remove);
  else onTestFinished(remove);
  return dir;
}

/**
 * A {@link temporaryDirectory} for `apps/server`'s `--data-dir` whose embedded database
 * (`db/`) is already initialised: the app starts seconds sooner than on an empty directory,
 * with the same fresh database.
 *
 * @example
 * ```ts
 * const app = await startApp({ TWOFOLD_DATA_DIR: await appDataDirectory() });
 * ```
 */
export async function appDataDirectory(prefix = 'twofold-app-'): Promise<string> {
  const dir = temporaryDirectory(prefix);
  await seedPGliteDirectory(join(dir, 'db'));
  return dir;
}

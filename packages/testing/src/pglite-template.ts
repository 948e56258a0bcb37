import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from './app-process.js';

// A fresh PGlite directory costs ~5 s of CPU (initdb in WASM); opening a copy of one costs
// ~0.8 s. Tests that need a fresh embedded database (a store per test, an app per test) start
// from a copy of one initialised directory, kept as a build cache in node_modules/.cache
// (per PGlite version, so an upgrade makes a new one). The copy is a fresh database: nothing
// but what initdb writes is in it.

const cacheDir = join(repoRoot, 'node_modules', '.cache', 'twofold-pglite-template');

/** The installed PGlite's version (its package.json is not among its exports). */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const packageDir = entry.slice(0, entry.lastIndexOf('/dist/'));
  return JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
}

/** The initialised template directory, made once per machine and PGlite version. */
async function template(): Promise<string> {
  const templateDir = join(cacheDir, pgliteVersion());
  if (existsSync(join(templateDir, 'PG_VERSION'))) return templateDir;
  const { PGlite } = await import('@electric-sql/pglite');
  mkdirSync(cacheDir, { recursive: true });
  // Made beside its final name and renamed: test workers racing here never see half a directory.
  const building = mkdtempSync(join(cacheDir, 'building-'));
  try {
    const db = await PGlite.create(building);
    await db.close();
    renameSync(building, templateDir);
  } catch (error) {
    // Another worker renamed its copy first: theirs is as good.
    if (!existsSync(join(templateDir, 'PG_VERSION'))) throw error;
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return templateDir;
}

/**
 * Fills `dataDir` (absent or empty) with a freshly initialised PGlite database, as
 * `PGlite.create(dataDir)` would, in a fraction of the time.
 *
 * @example
 * ```ts
 * const dataDir = join(temporaryDirectory(), 'db');
 * await seedPGliteDirectory(dataDir);
 * const store = await createPGliteStore({ dataDir });
 * ```
 */
export async function seedPGliteDirectory(dataDir: string): Promise<void> {
  cpSync(await template(), dataDir, { recursive: true });
}

// Whether a workspace package's dist/ is up to date: make's rule, on modification times. Each
// package bundles only its own sources (workspace dependencies stay external imports), so its
// own files and the shared rollup setup are all its build reads.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Modification times of the files under `path` (a file or a directory; none when absent). */
function mtimes(path: string): number[] {
  if (!existsSync(path)) return [];
  const stat = statSync(path);
  if (!stat.isDirectory()) return [stat.mtimeMs];
  return readdirSync(path).flatMap((entry) => mtimes(join(path, entry)));
}

/**
 * Whether a package's dist/ was built after its last source change (src/, package.json, its
 * rollup and TypeScript configs, the shared rollup.base.js): every dist file newer than every
 * such source file.
 */
export function isBuildFresh(
  packageDir: string,
  shared: readonly string[] = [join(root, 'rollup.base.js')],
): boolean {
  const built = mtimes(join(packageDir, 'dist'));
  if (built.length === 0) return false;
  const own = [
    'src',
    'package.json',
    'rollup.config.js',
    'tsconfig.json',
    // A Vite app (apps/demo): its page and config are sources too.
    'index.html',
    'vite.config.ts',
  ].map((file) => join(packageDir, file));
  const sources = [...own, ...shared].flatMap(mtimes);
  return Math.min(...built) >= Math.max(...sources);
}

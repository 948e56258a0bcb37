// `pnpm start`'s build step: builds the workspace packages whose dist/ is older than their
// sources (see build-freshness.ts), in dependency order, and says what it did. A second
// `pnpm start` with nothing changed starts at once instead of rebuilding everything; `pnpm
// build` still builds all of them.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isBuildFresh } from './build-freshness.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Workspace folders (`packages/x`, `apps/y`) whose package.json has a build script. */
function buildableDirs(): string[] {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(root, group))
      .map((name) => `${group}/${name}`)
      .filter((dir) => {
        const manifest = join(root, dir, 'package.json');
        return (
          existsSync(manifest) &&
          JSON.parse(readFileSync(manifest, 'utf8')).scripts?.build !== undefined
        );
      }),
  );
}

const stale = buildableDirs().filter((dir) => !isBuildFresh(join(root, dir)));
if (stale.length === 0) {
  console.log('build: every package is up to date');
} else {
  console.log(`build: ${stale.join(', ')}`);
  // pnpm runs the filtered builds in dependency order. Inherits the pnpm that runs this script.
  const pnpm = process.env.npm_execpath;
  const [command, prefix] =
    pnpm?.includes('pnpm') === true ? [process.execPath, [pnpm]] : ['npx', ['-y', 'pnpm@10.34.9']];
  const filters = stale.flatMap((dir) => ['--filter', `./${dir}`]);
  execFileSync(command, [...prefix, ...filters, 'run', 'build'], { cwd: root, stdio: 'inherit' });
}

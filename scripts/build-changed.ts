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

/**
 * The workspace packages a Vite app bundles (its `@twofold/*` dependencies), as folders: unlike
 * a package, whose build leaves them external, the app's dist/ holds their code.
 */
function bundledDirs(dir: string): string[] {
  if (!existsSync(join(root, dir, 'vite.config.ts'))) return [];
  const { dependencies = {} } = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  return Object.keys(dependencies)
    .filter((name) => name.startsWith('@twofold/'))
    .map((name) => `packages/${name.slice('@twofold/'.length)}`);
}

const own = buildableDirs().filter((dir) => !isBuildFresh(join(root, dir)));
// An app is stale too when a package it bundles is rebuilt now, or was built after it.
const stale = buildableDirs().filter(
  (dir) =>
    own.includes(dir) ||
    bundledDirs(dir).some(
      (bundled) =>
        own.includes(bundled) ||
        !isBuildFresh(join(root, dir), [join(root, 'rollup.base.js'), join(root, bundled, 'dist')]),
    ),
);
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

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

/** The `@twofold/*` dependencies of the workspace folder `dir`, as folders. */
function workspaceDependencies(dir: string): string[] {
  const manifest = join(root, dir, 'package.json');
  if (!existsSync(manifest)) return [];
  const { dependencies = {} } = JSON.parse(readFileSync(manifest, 'utf8'));
  return Object.keys(dependencies)
    .filter((name) => name.startsWith('@twofold/'))
    .map((name) => `packages/${name.slice('@twofold/'.length)}`);
}

/**
 * The workspace packages a Vite app bundles, as folders: its `@twofold/*` dependencies and
 * theirs (the demo holds @twofold/server through @twofold/mock). Unlike a package, whose build
 * leaves them external, the app's dist/ holds their code.
 */
function bundledDirs(dir: string): string[] {
  if (!existsSync(join(root, dir, 'vite.config.ts'))) return [];
  const found = new Set<string>();
  const visit = (from: string) => {
    for (const dependency of workspaceDependencies(from)) {
      if (!found.has(dependency)) {
        found.add(dependency);
        visit(dependency);
      }
    }
  };
  visit(dir);
  return [...found];
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
  // pnpm runs the filtered builds in the order of their direct dependencies. An app may bundle
  // a package it reaches only through another (the demo holds @twofold/server through
  // @twofold/mock), which pnpm would build beside it: so the packages first, then the apps.
  // Inherits the pnpm that runs this script.
  const pnpm = process.env.npm_execpath;
  const [command, prefix] =
    pnpm?.includes('pnpm') === true ? [process.execPath, [pnpm]] : ['npx', ['-y', 'pnpm@10.34.9']];
  for (const group of ['packages/', 'apps/']) {
    const filters = stale
      .filter((dir) => dir.startsWith(group))
      .flatMap((dir) => ['--filter', `./${dir}`]);
    if (filters.length === 0) continue;
    execFileSync(command, [...prefix, ...filters, 'run', 'build'], { cwd: root, stdio: 'inherit' });
  }
}

// `pnpm pack:all [dir] [--no-build]`: builds the packages, then packs every public package
// (each packages/* whose package.json is not private) into an installable tarball in `dir`
// (default: dist-packages/). `pnpm pack` rewrites the `workspace:` ranges to real versions;
// `npm pack` would leave them, and npm refuses to install such a tarball. Every packed
// package.json is then read back from its tarball: a `workspace:` range left anywhere, a
// dependency on an unpacked @twofold package or an export target missing from the tarball
// (no build?) fails the run loudly. The test that installs the tarballs with plain npm is
// scripts/consumer/consumer.test.ts.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { isBuildFresh } from './build-freshness.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

/** One packed package: its name, version and the tarball's absolute path. */
export interface PackedPackage {
  name: string;
  version: string;
  tarball: string;
}

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  exports?: unknown;
  [field: string]: unknown;
}

const DEPENDENCY_FIELDS = [
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
  'devDependencies',
] as const;

/** The public packages (packages/* not marked private), as directory names. */
export function publicPackageDirs(): string[] {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((dir) => {
      try {
        return readManifest(join(root, 'packages', dir, 'package.json')).private !== true;
      } catch {
        return false; // a folder without package.json is not a package
      }
    })
    .sort();
}

function readManifest(path: string): Manifest {
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/**
 * pnpm as the caller ran us (`pnpm pack:all` sets npm_execpath to pnpm), else the pinned
 * version through npx, the way README.md tells a newcomer to run it.
 */
function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath)) return [process.execPath, [execPath]];
  const { packageManager } = readManifest(join(root, 'package.json'));
  return ['npx', ['-y', String(packageManager)]];
}

async function pnpm(args: string[], cwd: string): Promise<void> {
  const [command, prefix] = pnpmCommand();
  try {
    // The timeout kills a hung build or pack instead of leaving it running after a test.
    await run(command, [...prefix, ...args], { cwd, maxBuffer: 1 << 26, timeout: 600_000 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`pnpm ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

/** The files of a .tgz (ustar, as pnpm writes it), by path. */
export function readTarball(path: string): Map<string, Buffer> {
  const tar = gunzipSync(readFileSync(path));
  const files = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break; // end-of-archive block
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    if (type === 'x') {
      // A pax header: only its `path` record matters here (names over 100 characters).
      longName = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
    } else if (type === '0' || type === '') {
      files.set(longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100)), body);
      longName = undefined;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (exports === null || typeof exports !== 'object') return [];
  return Object.values(exports).flatMap(exportTargets);
}

/**
 * What is wrong with a packed package.json (an empty list when nothing is): `workspace:`
 * anywhere, a @twofold dependency outside `packed` or at another version, an export target
 * that is not in the tarball.
 */
export function problemsOf(
  manifestText: string,
  files: ReadonlySet<string>,
  packed: ReadonlyMap<string, string>,
): string[] {
  const problems: string[] = [];
  if (manifestText.includes('workspace:')) {
    const lines = manifestText.split('\n').filter((line) => line.includes('workspace:'));
    problems.push(`workspace: range left: ${lines.map((line) => line.trim()).join(' ')}`);
  }
  const manifest = JSON.parse(manifestText) as Manifest;
  for (const field of DEPENDENCY_FIELDS) {
    if (field === 'devDependencies') continue; // never installed by a consumer
    const ranges = (manifest[field] ?? {}) as Record<string, string>;
    for (const [name, range] of Object.entries(ranges)) {
      if (!name.startsWith('@twofold/')) continue;
      const version = packed.get(name);
      if (version === undefined) problems.push(`${field} ${name} is not a packed package`);
      else if (!range.includes(version)) {
        problems.push(`${field} ${name}@${range} does not name the packed ${version}`);
      }
    }
  }
  for (const target of exportTargets(manifest.exports)) {
    const path = `package/${target.replace(/^\.\//, '')}`;
    if (!files.has(path)) problems.push(`export target ${target} is not in the tarball`);
  }
  return problems;
}

/**
 * Builds and packs every public package into `outDir`, then checks each packed package.json.
 * Throws, listing every problem, when a tarball is not installable. `build`: `true` builds
 * every package, `'if-stale'` only those whose dist/ is older than their sources (CI builds
 * just before the tests), `false` none.
 */
export async function packPackages(
  outDir: string,
  { build = true }: { build?: boolean | 'if-stale' } = {},
): Promise<PackedPackage[]> {
  const dirs = publicPackageDirs();
  const toBuild =
    build === 'if-stale'
      ? dirs.filter((dir) => !isBuildFresh(join(root, 'packages', dir)))
      : build
        ? dirs
        : [];
  if (toBuild.length > 0) {
    const filters = toBuild.flatMap((dir) => ['--filter', `./packages/${dir}`]);
    await pnpm([...filters, 'run', 'build'], root);
  }
  mkdirSync(outDir, { recursive: true });
  // Tarballs of an earlier run would otherwise sit beside these (another version, say).
  for (const file of readdirSync(outDir)) {
    if (/^twofold-.*\.tgz$/.test(file)) rmSync(join(outDir, file));
  }
  const manifests = dirs.map((dir) => readManifest(join(root, 'packages', dir, 'package.json')));
  const packed = new Map(manifests.map(({ name, version }) => [name, version]));
  // One recursive pnpm run packs them all (one process start instead of one per package).
  const filters = manifests.flatMap(({ name }) => ['--filter', name]);
  await pnpm(['-r', ...filters, 'pack', '--pack-destination', outDir], root);
  const result: PackedPackage[] = [];
  const problems: string[] = [];
  for (const { name, version } of manifests) {
    const tarball = join(outDir, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
    let files: Map<string, Buffer>;
    try {
      files = readTarball(tarball);
    } catch (error) {
      problems.push(`${name}: no readable tarball at ${tarball} (${String(error)})`);
      continue;
    }
    const manifestText = files.get('package/package.json')?.toString('utf8');
    if (manifestText === undefined) {
      problems.push(`${name}: ${tarball} has no package/package.json`);
      continue;
    }
    for (const problem of problemsOf(manifestText, new Set(files.keys()), packed)) {
      problems.push(`${name}: ${problem}`);
    }
    result.push({ name, version, tarball });
  }
  if (problems.length > 0) {
    throw new Error(`packed packages are not installable:\n  ${problems.join('\n  ')}`);
  }
  return result;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((arg) => arg !== '--');
  const build = !args.includes('--no-build');
  const dirArg = args.find((arg) => !arg.startsWith('--'));
  const outDir = resolve(dirArg ?? join(root, 'dist-packages'));
  const started = performance.now();
  const packed = await packPackages(outDir, { build });
  for (const { name, version, tarball } of packed) {
    console.log(`${name}@${version}  ${tarball}`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\n${packed.length} tarballs in ${outDir} (${seconds} s), no workspace: ranges.`);
  console.log(`Install them with: npm install ${outDir}/twofold-client-*.tgz …`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

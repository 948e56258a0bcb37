// The consumer's path before we publish: `pnpm pack:all` tarballs installed with plain npm into
// a fresh folder outside the workspace (no pnpm, no workspace links, no @twofold/source
// condition), then used the three ways an app uses them: type-checked, run in Node, bundled
// by Vite. Needs the npm registry (for typescript, vite, msw and the packages' own
// dependencies); npm's cache makes a second run fast.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { withRepoLock } from '@twofold/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackedPackage, packPackages } from '../pack-packages.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('fixture', import.meta.url));
// ARCHITECTURE.md's budget for the SDK core is 8 KB min+gzip: what a page that uses the SDK
// pays may be no more. (packages/client/scripts/size.ts measures every export of the core.)
const SDK_BUDGET = 8000;

const devDependencies = (path: string) =>
  (
    JSON.parse(readFileSync(join(root, path), 'utf8')) as {
      devDependencies: Record<string, string>;
    }
  ).devDependencies;
const rootDevDependencies = devDependencies('package.json');
const clientDevDependencies = devDependencies('packages/client/package.json');
// What the consumer adds beside our tarballs, at the ranges the workspace itself tests with.
const consumerDependencies = [
  `typescript@${rootDevDependencies.typescript}`,
  `vite@${rootDevDependencies.vite}`,
  `@types/node@${rootDevDependencies['@types/node']}`,
  `msw@${clientDevDependencies.msw}`,
];

// npm must not inherit the settings pnpm or vitest exported for the workspace.
const npmEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm|pnpm)_/i.test(key)),
);

let work: string;
let app: string;
let packed: PackedPackage[];
const started = performance.now();

async function inApp(
  command: string,
  args: string[],
  timeout = 280_000,
): Promise<{ stdout: string; stderr: string }> {
  try {
    // `timeout` kills the child when it hangs, so a stuck npm never outlives the test.
    return await run(command, args, { cwd: app, env: npmEnv, timeout, maxBuffer: 1 << 26 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

describe('a consumer outside the workspace, on the packed tarballs and plain npm', () => {
  beforeAll(async () => {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'twofold-consumer-')));
    // Outside the repository, so no workspace node_modules can stand in for the tarballs.
    expect(relative(root, work).startsWith('..')).toBe(true);
    app = join(work, 'app');
    cpSync(fixture, app, { recursive: true });
    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`,
    );

    let step = performance.now();
    // The packages as built (CI builds just before the tests); stale or missing builds first.
    // Under the 'dist' lock: the pnpm start test rebuilds dist/ in a parallel worker.
    packed = await withRepoLock('dist', () =>
      packPackages(join(work, 'tarballs'), { build: 'if-stale' }),
    );
    console.log(`consumer: packed ${packed.length} packages in ${seconds(step)}`);

    step = performance.now();
    await inApp(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline', // npm's cache first: the registry only for what it lacks
        '--loglevel=error',
        ...packed.map(({ tarball }) => tarball),
        ...consumerDependencies,
      ],
      360_000,
    );
    console.log(`consumer: npm install in ${seconds(step)}`);
  }, 900_000);

  afterAll(() => {
    // Also after a failure: nothing of the consumer stays in the temp folder.
    if (work) rmSync(work, { recursive: true, force: true });
    console.log(`consumer: whole run ${seconds(started)}`);
  }, 120_000); // removing node_modules on a busy machine takes more than the default 10 s

  it('packs every public package, and only those', () => {
    expect(packed.map(({ name }) => name).sort()).toEqual([
      '@twofold/client',
      '@twofold/conformance',
      '@twofold/contract',
      '@twofold/mock',
      '@twofold/otp',
      '@twofold/server',
    ]);
  });

  it('installs the tarballs themselves, not registry copies', () => {
    for (const { name, version } of packed) {
      const installed = JSON.parse(
        readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8'),
      ) as { version: string };
      expect(installed.version, name).toBe(version);
    }
    const lock = readFileSync(join(app, 'package-lock.json'), 'utf8');
    expect(lock).not.toContain('workspace:');
    expect(lock).toContain('twofold-client-');
  });

  for (const resolution of ['bundler', 'node16']) {
    it(`type-checks a file using client, client/webauthn, mock, mock/node and contract under moduleResolution ${resolution}`, async () => {
      const step = performance.now();
      await inApp(process.execPath, [
        'node_modules/typescript/bin/tsc',
        '-p',
        `tsconfig.${resolution}.json`,
      ]);
      console.log(`consumer: tsc (${resolution}) in ${seconds(step)}`);
    }, 300_000);
  }

  it('runs register, login, MFA setup and verify, and status on @twofold/mock/node', async () => {
    const { stdout } = await inApp(process.execPath, ['flow.mjs'], 60_000);
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '')).toEqual({
      registered: 'ada',
      login: 'authenticated',
      backupCodes: 10,
      enabled: true,
      methods: ['totp'],
      again: 'mfa_required',
    });
  }, 60_000);

  it(`builds a Vite page that imports @twofold/client, which adds at most ${SDK_BUDGET} bytes min+gzip`, async () => {
    const step = performance.now();
    const { stdout } = await inApp(process.execPath, ['build-page.mjs']);
    const sizes = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as {
      page: number;
      baseline: number;
    };
    const added = sizes.page - sizes.baseline;
    console.log(
      `consumer: Vite page with @twofold/client: ${sizes.page} B min+gzip, ${added} B over the same page without it (budget ${SDK_BUDGET}); built in ${seconds(step)}`,
    );
    // The lower bound proves the SDK really is in the bundle (not shaken out or stubbed).
    expect(added).toBeGreaterThan(3000);
    expect(added).toBeLessThanOrEqual(SDK_BUDGET);
  }, 300_000);
});

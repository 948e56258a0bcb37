import { repoRoot, runTypeScript } from '@twofold/testing';

/**
 * Brings `apps/demo/dist`, and every package the demo bundles, up to date as `pnpm start` does
 * (`scripts/build-changed.ts`: nothing to do takes a second). Call it under
 * `withRepoLock('dist')`: another test file may be building the same folders.
 */
export async function buildDemo(): Promise<void> {
  const build = runTypeScript(`${repoRoot}scripts/build-changed.ts`);
  const code = await build.exit(240_000);
  if (code !== 0) {
    const { stdout, stderr } = build.output();
    throw new Error(`scripts/build-changed.ts failed (exit ${code}):\n${stdout}\n${stderr}`);
  }
}

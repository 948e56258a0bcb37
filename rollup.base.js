// Shared rollup setup for every package: ESM JavaScript and bundled .d.ts per entry point.
import { readFileSync, rmSync } from 'node:fs';
import { dts } from 'rollup-plugin-dts';
import esbuild from 'rollup-plugin-esbuild';

/**
 * Empties dist/ when the (first) build starts: chunks of earlier builds would otherwise stay,
 * be published in the tarball, and make the build look stale to scripts/build-freshness.ts.
 * @returns {import('rollup').Plugin}
 */
const cleanDist = () => ({
  name: 'clean-dist',
  buildStart() {
    rmSync('dist', { recursive: true, force: true });
  },
});

/**
 * @param {Record<string, string>} input entry name -> source file, e.g. { index: 'src/index.ts' }
 * @returns {import('rollup').RollupOptions[]}
 */
export function packageConfig(input) {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const dependencies = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
  /** @param {string} id */
  const external = (id) =>
    id.startsWith('node:') || dependencies.some((dep) => id === dep || id.startsWith(`${dep}/`));
  return [
    {
      input,
      external,
      // One output file per source module: with `sideEffects: false`, a consumer's bundler
      // drops whole modules it does not use (e.g. the contract's schemas from a client bundle).
      output: { dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src' },
      plugins: [cleanDist(), esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' })],
    },
    {
      input,
      external,
      output: {
        dir: 'dist',
        format: 'es',
        entryFileNames: '[name].d.ts',
        chunkFileNames: 'shared/chunk-[hash].d.ts',
      },
      plugins: [
        dts({
          tsconfig: 'tsconfig.json',
          compilerOptions: { composite: false, incremental: false },
        }),
      ],
    },
  ];
}

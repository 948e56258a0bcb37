// `pnpm size` (demo part): min+gzip bytes of the demo's JavaScript as built (dist/assets),
// against ARCHITECTURE.md's budget of 80 KB including any UI library. Fails over it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const assets = fileURLToPath(new URL('../dist/assets/', import.meta.url));
const BUDGET = 80_000;

if (!existsSync(assets)) {
  console.error('apps/demo/dist is missing: run `pnpm build` first (the root `pnpm size` does).');
  process.exit(1);
}
const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'));
const bytes = scripts.reduce(
  (sum, name) => sum + gzipSync(readFileSync(`${assets}${name}`), { level: 9 }).length,
  0,
);
console.log(
  `apps/demo JS (min+gzip, ${scripts.length} file${scripts.length === 1 ? '' : 's'}): ${bytes} bytes, ${(bytes / BUDGET).toFixed(2)}x the ${BUDGET}-byte budget`,
);
if (bytes > BUDGET) {
  console.error(`over budget by ${bytes - BUDGET} bytes`);
  process.exit(1);
}

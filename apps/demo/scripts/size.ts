// `pnpm size` (demo part): min+gzip bytes of the demo's JavaScript as built. The page's own
// scripts (what index.html loads) are held to ARCHITECTURE.md's 80 KB budget, any UI library
// included; the offline mode's chunks (the mock's server core, loaded only with ?mock) are
// printed beside them. Fails over the budget.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const BUDGET = 80_000;

if (!existsSync(`${dist}index.html`)) {
  console.error('apps/demo/dist is missing: run `pnpm build` first (the root `pnpm size` does).');
  process.exit(1);
}
const page = readFileSync(`${dist}index.html`, 'utf8');
const gzipped = (name: string) =>
  gzipSync(readFileSync(`${dist}assets/${name}`), { level: 9 }).length;
const scripts = readdirSync(`${dist}assets`).filter((name) => name.endsWith('.js'));
const loaded = scripts.filter((name) => page.includes(`/assets/${name}`));
const online = loaded.reduce((sum, name) => sum + gzipped(name), 0);
const offline = scripts
  .filter((name) => !loaded.includes(name))
  .reduce((sum, name) => sum + gzipped(name), 0);
console.log(
  `apps/demo JS (min+gzip): ${online} bytes as the page loads it, ${(online / BUDGET).toFixed(2)}x the ${BUDGET}-byte budget; the offline mode adds ${offline} bytes (the mock's server core, loaded only with ?mock)`,
);
if (online > BUDGET) {
  console.error(`over budget by ${online - BUDGET} bytes`);
  process.exit(1);
}

// `pnpm size` (otp part): min+gzip bytes of browser bundles of our built package and of the
// same verify through otpauth and otplib. Fails when a budget is exceeded or when the SHA-1
// entry drags SHA-2 code in.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const dist = (entry: string) => JSON.stringify(`${packageDir}dist/${entry}.js`);

if (!existsSync(`${packageDir}dist/sha1.js`)) {
  console.error('dist/ is missing: run `pnpm build` first (the root `pnpm size` does).');
  process.exit(1);
}

interface Case {
  name: string;
  source: string;
  /** Budget in bytes, min+gzip. */
  budget?: number;
  /** Must not contain SHA-2 code. */
  sha1Only?: boolean;
}

const cases: Case[] = [
  {
    name: 'verifyTotp from @twofold/otp/sha1',
    source: `export { verifyTotp } from ${dist('sha1')};`,
    budget: 3000,
    sha1Only: true,
  },
  {
    name: 'verifyTotp from @twofold/otp (all algorithms)',
    source: `export { verifyTotp } from ${dist('index')};`,
  },
  { name: 'whole @twofold/otp', source: `export * from ${dist('index')};` },
  {
    name: 'otpauth: TOTP.validate',
    source: `import { Secret, TOTP } from 'otpauth';
      export const verify = (secret, token) => TOTP.validate({ secret: Secret.fromBase32(secret), token, window: 1 });`,
  },
  {
    name: 'otplib: verifySync',
    source: `import { verifySync } from 'otplib';
      export const verify = (secret, token) => verifySync({ secret, token, epochTolerance: 30 });`,
  },
];

/** SHA-256's first round constant (0x428a2f98) and SHA-512's IV (0x6a09e667), as minified. */
const SHA2_MARKERS = [/1116352408|0x428a2f98/i, /1779033703|0x6a09e667/i];

let failed = false;
const rows = [];
for (const testCase of cases) {
  const result = await build({
    stdin: { contents: testCase.source, resolveDir: packageDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const gzip = gzipSync(code, { level: 9 }).length;
  const text = new TextDecoder().decode(code);
  const sha2Inputs = Object.keys(result.metafile.inputs).filter((input) =>
    input.endsWith('/sha2.js'),
  );
  const hasSha2 = sha2Inputs.length > 0 || SHA2_MARKERS.some((marker) => marker.test(text));
  let verdict = '';
  if (testCase.budget !== undefined) {
    verdict = gzip <= testCase.budget ? `within ${testCase.budget}` : `OVER ${testCase.budget}`;
    failed ||= gzip > testCase.budget;
  }
  if (testCase.sha1Only) {
    verdict += hasSha2 ? ', CONTAINS SHA-2' : ', no SHA-2';
    failed ||= hasSha2;
  }
  rows.push({
    bundle: testCase.name,
    'min bytes': code.length,
    'min+gzip bytes': gzip,
    'SHA-2 code': hasSha2 ? 'yes' : 'no',
    budget: verdict,
  });
}

console.log('\n@twofold/otp browser bundles (esbuild --minify, gzip -9)');
console.table(rows);
if (failed) {
  console.error('size check failed: a budget is exceeded or the SHA-1 entry pulls in SHA-2');
  process.exit(1);
}

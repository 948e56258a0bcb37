// `pnpm size` (client part): min+gzip bytes of the SDK's browser bundles against the same
// measurement of popular auth clients. Fails over the budgets (core 8 KB, core with ./webauthn
// 11 KB) or when a bundle of ours carries valibot.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
// ARCHITECTURE.md's budget. The core was 8.8 KB with ky (5.0 KB); 4.7 KB on its own http.ts.
const BUDGET = 8000;
const WEBAUTHN_BUDGET = 11_000;

if (!existsSync(`${packageDir}dist/index.js`) || !existsSync(`${packageDir}dist/webauthn.js`)) {
  console.error('dist/ is missing: run `pnpm build` first (the root `pnpm size` does).');
  process.exit(1);
}

const cases = [
  {
    name: '@twofold/client (whole SDK core)',
    source: `export * from ${JSON.stringify(`${packageDir}dist/index.js`)};`,
    budget: BUDGET,
  },
  {
    name: '@twofold/client core + ./webauthn (incl. @simplewebauthn/browser)',
    source: `export * from ${JSON.stringify(`${packageDir}dist/index.js`)};
      export * from ${JSON.stringify(`${packageDir}dist/webauthn.js`)};`,
    budget: WEBAUTHN_BUDGET,
  },
  {
    name: '@supabase/auth-js (GoTrueClient, incl. MFA API)',
    source: `export { GoTrueClient } from '@supabase/auth-js';`,
  },
  {
    name: 'better-auth client + twoFactorClient plugin',
    source: `import { createAuthClient } from 'better-auth/client';
      import { twoFactorClient } from 'better-auth/client/plugins';
      export const client = () => createAuthClient({ plugins: [twoFactorClient()] });`,
  },
  // Better Auth 1.4+ ships passkeys as its own package (@better-auth/passkey), no longer in
  // better-auth/client/plugins.
  {
    name: 'better-auth client + passkeyClient (@better-auth/passkey)',
    source: `import { createAuthClient } from 'better-auth/client';
      import { passkeyClient } from '@better-auth/passkey/client';
      export const client = () => createAuthClient({ plugins: [passkeyClient()] });`,
  },
  {
    name: 'better-auth client + twoFactorClient + passkeyClient',
    source: `import { createAuthClient } from 'better-auth/client';
      import { twoFactorClient } from 'better-auth/client/plugins';
      import { passkeyClient } from '@better-auth/passkey/client';
      export const client = () => createAuthClient({ plugins: [twoFactorClient(), passkeyClient()] });`,
  },
];

let failed = false;
const rows = [];
for (const { name, source, budget } of cases) {
  const ours = budget !== undefined;
  const result = await build({
    stdin: { contents: source, resolveDir: packageDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  // The SDK takes only the small route table from the contract: valibot (the validators and
  // ROUTE_DOCS) must be shaken out, or the SDK would carry the server's validation code.
  const output = Object.values(result.metafile.outputs)[0];
  const validator = Object.entries(output?.inputs ?? {}).find(
    ([input, { bytesInOutput }]) => input.includes('valibot') && bytesInOutput > 0,
  )?.[0];
  if (ours && validator !== undefined) {
    console.error(`${name} carries valibot (${validator}): import only ROUTES from the contract`);
    failed = true;
  } else if (ours) {
    console.log(`${name}: no valibot in the bundle`);
  }
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const gzip = gzipSync(code, { level: 9 }).length;
  const over = budget !== undefined && gzip > budget;
  if (over) console.error(`${name}: ${gzip} bytes min+gzip, over its budget of ${budget}`);
  failed ||= over;
  rows.push({
    bundle: name,
    'min bytes': code.length,
    'min+gzip bytes': gzip,
    budget: budget === undefined ? '' : `${over ? 'OVER' : 'within'} ${budget}`,
  });
}

// SimpleWebAuthn (and ky, which the SDK no longer uses) stay implementation details: none of their types, options or errors
// may reach the declarations (the WebAuthn JSON shapes are the contract's).
const declarationFiles = readdirSync(`${packageDir}dist`, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.d.ts'))
  .sort();
for (const file of declarationFiles) {
  const declarations = readFileSync(`${packageDir}dist/${file}`, 'utf8');
  const leaks = declarations.match(
    /\bky\b|KyInstance|HTTPError|TimeoutError|ForceRetryError|@simplewebauthn|WebAuthnError/g,
  );
  if (leaks !== null) {
    console.error(`dist/${file} mentions ky or SimpleWebAuthn: ${[...new Set(leaks)].join(', ')}`);
    failed = true;
  } else {
    console.log(`dist/${file}: no ky or SimpleWebAuthn types`);
  }
}

console.log('\nAuth SDK browser bundles (esbuild --minify, gzip -9)');
console.table(rows);
if (failed) {
  console.error('size check failed (see above)');
  process.exit(1);
}

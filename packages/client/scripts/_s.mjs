import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const src = process.argv[2];
const r = await build({
  stdin: { contents: src, resolveDir: '/work/main/packages/client/src', loader: 'ts' },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  logLevel: 'error',
  conditions: ['@twofold/source'],
});
const t = r.outputFiles[0].contents;
console.log(t.length, gzipSync(t, { level: 9 }).length);

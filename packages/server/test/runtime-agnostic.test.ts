import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const srcDir = fileURLToPath(new URL('../src', import.meta.url));

function coreFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node' ? [] : coreFiles(path);
    return entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.test.ts') &&
      entry.name !== 'node.ts'
      ? [path]
      : [];
  });
}

describe('the server core is runtime-agnostic (the mock runs it in a browser tab)', () => {
  it('imports nothing from node: outside src/node/', () => {
    const offenders = coreFiles(srcDir).filter((file) =>
      /from ['"]node:|require\(['"]node:/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('bundles for the browser from its main entry', async () => {
    const result = await build({
      entryPoints: [join(srcDir, 'index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      conditions: ['@twofold/source'],
    });
    const code = new TextDecoder().decode(result.outputFiles[0]?.contents);
    expect(code).toContain('createTwofoldServer');
    expect(code).not.toMatch(/from ["']node:/);
  });
});

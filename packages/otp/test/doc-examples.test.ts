import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import * as main from '../src/index.js';

// Every exported function, constant and class carries a JSDoc `@example` (a convention of
// ARCHITECTURE.md); this test runs each example against the sources and checks every
// `expression; // literal` line, so the docs cannot drift from the code.

const srcDir = fileURLToPath(new URL('../src', import.meta.url));
const outDir = fileURLToPath(new URL('../node_modules/.cache/doc-examples', import.meta.url));
const entryFiles: Record<string, string> = {
  '@twofold/otp': join(srcDir, 'index.ts'),
  '@twofold/otp/sha1': join(srcDir, 'sha1.ts'),
  '@twofold/otp/node': join(srcDir, 'node.ts'),
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

interface Example {
  symbol: string;
  file: string;
  code: string;
}

/** JSDoc blocks with an @example code fence, keyed by the symbol they document. */
function examples(): Example[] {
  const found: Example[] = [];
  const pattern =
    /\/\*\*((?:(?!\*\/)[\s\S])*?@example(?:(?!\*\/)[\s\S])*?)\*\/\s*export\s+(?:declare\s+)?(?:function|const|class)\s+(\w+)/g;
  for (const file of sourceFiles(srcDir)) {
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
      const body = (match[1] ?? '').replace(/^\s*\* ?/gm, '');
      const fence = /```ts\n([\s\S]*?)```/.exec(body);
      if (fence?.[1]) found.push({ symbol: match[2] ?? '', file, code: fence[1] });
    }
  }
  return found;
}

function isLiteral(text: string): boolean {
  try {
    new Function(`return (${text});`);
    return !text.includes('…');
  } catch {
    return false;
  }
}

/** Rewrites package imports to the sources and `expr; // literal` lines to assertions. */
function runnable(code: string): string {
  let out = code.replace(/from '(@twofold\/otp(?:\/\w+)?)'/g, (_, entry: string) => {
    const file = entryFiles[entry];
    if (file === undefined) throw new Error(`example imports unknown entry ${entry}`);
    return `from ${JSON.stringify(file)}`;
  });
  out = out.replace(/^(.*?);\s*\/\/ (.+)$/gm, (line, expression: string, comment: string) =>
    isLiteral(comment) && !/^\s*(const|let|if|for)\b/.test(expression)
      ? `__check(${expression}, ${comment}, ${JSON.stringify(expression)});`
      : line,
  );
  return `const __check = (globalThis as any).__checkDocExample;\n${out}`;
}

describe('JSDoc examples', () => {
  const all = examples();

  it('document every runtime export of @twofold/otp', () => {
    const documented = new Set(all.map((example) => example.symbol));
    const missing = Object.keys(main).filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });

  it.each(all.map((example) => [example.symbol, example] as const))(
    '%s example runs and holds',
    async (_, example) => {
      mkdirSync(outDir, { recursive: true });
      const file = join(outDir, `${example.symbol}.ts`);
      writeFileSync(file, runnable(example.code));
      (globalThis as Record<string, unknown>).__checkDocExample = (
        actual: unknown,
        expected: unknown,
        source: string,
      ) => expect(actual, source).toEqual(expected);
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      try {
        await import(/* @vite-ignore */ `${file}?t=${Date.now()}`);
      } finally {
        log.mockRestore();
      }
    },
  );

  it('turns `expression; // literal` lines into assertions, and leaves prose comments alone', () => {
    const code = runnable(
      "a(1); // 'x'\nb(); // { ok: true }\nc(); // the bytes of 'foo'\nconst d = 1; // 1",
    );
    expect(code).toContain(`__check(a(1), 'x', "a(1)");`);
    expect(code).toContain(`__check(b(), { ok: true }, "b()");`);
    expect(code).toContain("c(); // the bytes of 'foo'");
    expect(code).toContain('const d = 1; // 1');
  });
});

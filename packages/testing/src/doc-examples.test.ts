import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { collectDocExamples, type DocExample, runDocExample, toRunnable } from './doc-examples.js';

// The runner must be able to fail: a fixture package with a right, a wrong and an ill-typed
// example, and an undocumented export.

const fixtureDir = fileURLToPath(
  new URL('../node_modules/.cache/doc-examples-fixture/', import.meta.url),
);
afterAll(() => rmSync(fixtureDir, { recursive: true, force: true }));

function example(name: string, lines: string[]): string {
  const body = lines.map((line) => ` * ${line}`).join('\n');
  return `/**\n * ${name}.\n *\n * @example\n * \`\`\`ts\n${body}\n * \`\`\`\n */\n`;
}

function writeFixture(): void {
  rmSync(fixtureDir, { recursive: true, force: true });
  mkdirSync(join(fixtureDir, 'src'), { recursive: true });
  writeFileSync(
    join(fixtureDir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        types: [],
      },
    }),
  );
  writeFileSync(
    join(fixtureDir, 'src/index.ts'),
    [
      example('Twice n', ["import { double } from '@fixture/pkg';", 'double(2); // 4']),
      'export function double(n: number): number {\n  return n * 2;\n}\n',
      example('Half of n, documented wrongly', [
        "import { half } from '@fixture/pkg';",
        'half(4); // 3',
        'half(8); // the number four',
      ]),
      'export const half = (n: number): number => n / 2;\n',
      example('Three times n, with an ill-typed example', [
        "import { triple } from '@fixture/pkg';",
        "triple('3'); // 9",
      ]),
      'export function triple(n: number): number {\n  return n * 3;\n}\n',
      'export function undocumented(): void {}\n',
      'export type OnlyAType = string;\n',
    ].join('\n'),
  );
}

describe('the doc-example runner', () => {
  writeFixture();
  const collected = collectDocExamples({
    packageDir: fixtureDir,
    entries: { '@fixture/pkg': 'src/index.ts' },
    tsconfig: 'tsconfig.json',
  });
  const byName = (name: string): DocExample => {
    const found = collected.examples.find((candidate) => candidate.name === name);
    if (found === undefined) throw new Error(`no example for ${name}`);
    return found;
  };

  it('finds every example and reports runtime exports without one (types need none)', () => {
    expect(collected.examples.map((found) => found.id)).toEqual([
      '@fixture/pkg › double',
      '@fixture/pkg › half',
      '@fixture/pkg › triple',
    ]);
    expect(collected.undocumented).toEqual({ '@fixture/pkg': ['undocumented'] });
    expect(collected.problems).toEqual([]);
  });

  it('runs a right example', async () => {
    await runDocExample(byName('double'));
  });

  it('fails on a wrong `// literal`, naming the expression', async () => {
    await expect(runDocExample(byName('half'))).rejects.toThrow(/half\(4\)/);
  });

  it('reports the type errors of an example', () => {
    expect(byName('triple').diagnostics.join('\n')).toMatch(/not assignable to parameter/);
    expect(byName('double').diagnostics).toEqual([]);
  });

  it('applies the replacements of a setup, and tears down also after a failure', async () => {
    let tornDown = 0;
    const setup = (replace: Record<string, string>) => () => ({
      replace,
      teardown: () => {
        tornDown++;
      },
    });
    await runDocExample(byName('half'), { setup: setup({ 'half(4)': 'half(6)' }) });
    await expect(
      runDocExample(byName('double'), { setup: setup({ 'double(2)': 'double(3)' }) }),
    ).rejects.toThrow(/double\(3\)/);
    await expect(
      runDocExample(byName('double'), { setup: setup({ 'not in the example': 'x' }) }),
    ).rejects.toThrow(/does not contain/);
    expect(tornDown).toBe(3);
  });

  it('checks what an `execute` rule brings back from elsewhere', async () => {
    const recorded = [{ actual: 2, expected: 3, source: 'elsewhere()' }];
    await expect(
      runDocExample(byName('double'), { execute: async () => recorded }),
    ).rejects.toThrow(/elsewhere\(\)/);
  });
});

describe('toRunnable', () => {
  it('turns `expression; // literal` lines into assertions, and leaves prose comments alone', () => {
    const code = toRunnable(
      "a(1); // 'x'\n  b(); // { ok: true }\nc(); // the bytes of 'foo'\nconst d = 1; // 1\ne(); // '…'",
      {},
    );
    expect(code).toContain(`__check(a(1), 'x', "a(1)");`);
    expect(code).toContain(`  __check(b(), { ok: true }, "b()");`);
    expect(code).toContain("c(); // the bytes of 'foo'");
    expect(code).toContain('const d = 1; // 1');
    expect(code).toContain("e(); // '…'");
  });

  it('points imports of the entries at their sources, and refuses an unknown entry', () => {
    const entries = { '@x/pkg': '/src/index.ts', '@x/pkg/node': '/src/node.ts' };
    expect(toRunnable("import { a } from '@x/pkg/node';\nimport 'other';", entries)).toContain(
      `import { a } from "/src/node.ts";\nimport 'other';`,
    );
    expect(() => toRunnable("import { a } from '@x/pkg/browser';", entries)).toThrow(
      /not an entry point/,
    );
  });
});

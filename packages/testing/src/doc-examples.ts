import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';

// Every exported function, constant and class of a published package carries a JSDoc
// `@example` (ARCHITECTURE.md), and every example runs: this runner finds them through the
// TypeScript checker from the package's entry points, type-checks each against the sources,
// turns each `expression; // literal` line into an assertion, and runs it. An example that
// cannot run as written needs an explicit rule with a reason; nothing is skipped silently.

/** What an example's `setup` prepared for it. */
export interface DocExampleFixture {
  /**
   * Text replacements applied to the example before it runs (after it was type-checked as
   * written), e.g. the documented `http://127.0.0.1:8787` → the in-process server's URL.
   */
  replace?: Record<string, string>;
  /** Runs after the example, also when it failed: close servers, remove temp dirs. May assert. */
  teardown?: () => unknown;
}

/** One `expression; // literal` assertion as an example recorded it (see `execute`). */
export interface DocExampleCheck {
  actual: unknown;
  expected: unknown;
  source: string;
}

/** How an example that cannot run as written is run anyway, or why it is only type-checked. */
export interface DocExampleRule {
  /** Why the example needs this rule; it is part of the test name. */
  reason: string;
  /** Type-check only, never run. The reason must say what covers the behaviour instead. */
  compileOnly?: boolean;
  /** Prepares what the example talks to (an in-process server, a mock, a temp dir). */
  setup?: () => DocExampleFixture | Promise<DocExampleFixture>;
  /**
   * Runs the example elsewhere than in this process (a browser page, say). `file` is the
   * runnable example; it calls `globalThis.__checkDocExample(actual, expected, source)` for each
   * assertion, and `execute` returns those calls, which the runner then checks. It must reject
   * when the example throws.
   */
  execute?: (file: string) => Promise<DocExampleCheck[]>;
}

export interface DocExamplesOptions {
  /** The package directory (with `package.json`), e.g. `new URL('..', import.meta.url)`. */
  packageDir: string | URL;
  /** Import specifier → source entry file, relative to `packageDir`: `{ '@twofold/otp': 'src/index.ts' }`. */
  entries: Record<string, string>;
  /** Rules by exported name. Every rule must match an example. */
  rules?: Record<string, DocExampleRule>;
  /** The tsconfig whose compiler options type-check the examples (default `tsconfig.tools.json`). */
  tsconfig?: string;
}

/** One ```ts block of an `@example`, ready to type-check and run. */
export interface DocExample {
  /** `@twofold/otp/node › hotp`, with `#2` for the second example of a symbol. */
  id: string;
  /** The exported name. */
  name: string;
  /** Every entry exporting it. */
  entries: string[];
  /** `src/file.ts:line` of the documented declaration. */
  location: string;
  /** The example as written. */
  code: string;
  /** The example with imports pointing at the sources and literal comments as assertions. */
  runnable: string;
  /** Where `runnable` is written. */
  file: string;
  /** Type errors of the example, formatted; empty when it compiles. */
  diagnostics: string[];
}

export interface DocExampleCollection {
  examples: DocExample[];
  /** Per entry, the runtime exports without an `@example`. */
  undocumented: Record<string, string[]>;
  /** Problems found while reading the JSDoc (an `@example` without a ```ts block, …). */
  problems: string[];
}

const CHECK_GLOBAL = '__checkDocExample';
const STATEMENT =
  /^\s*(?:const|let|var|if|else|for|while|do|return|throw|import|export|try|\}|\{)\b/;

/** True for a comment that is a JavaScript literal to compare with, not prose. */
export function isLiteralComment(text: string): boolean {
  if (text.includes('…')) return false;
  try {
    new Function(`return (${text});`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Rewrites imports of `entries` to their absolute source files and each `expression; //
 * literal` line to `__check(expression, literal, "expression")`; prose comments stay.
 */
export function toRunnable(code: string, entries: Record<string, string>): string {
  const packages = new Set(Object.keys(entries).map((specifier) => packageOf(specifier)));
  let out = code.replace(
    /(\bfrom\s+|\bimport\s*\(?\s*)(['"])([^'"]+)\2/g,
    (whole, prefix: string, _quote: string, specifier: string) => {
      const file = entries[specifier];
      if (file !== undefined) return `${prefix}${JSON.stringify(file)}`;
      if (packages.has(packageOf(specifier))) {
        throw new Error(`the example imports ${specifier}, which is not an entry point`);
      }
      return whole;
    },
  );
  out = out.replace(/^(.*?);\s*\/\/ (.+)$/gm, (line, expression: string, comment: string) =>
    isLiteralComment(comment) && !STATEMENT.test(expression)
      ? `${indentOf(expression)}__check(${expression.trim()}, ${comment}, ${JSON.stringify(expression.trim())});`
      : line,
  );
  return `const __check = (globalThis as any).${CHECK_GLOBAL};\n${out}`;
}

const indentOf = (line: string) => /^\s*/.exec(line)?.[0] ?? '';
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

function compilerOptions(configFile: string): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (parsed === undefined) throw new Error(`cannot read ${configFile}`);
  const {
    rootDir: _rootDir,
    outDir: _outDir,
    tsBuildInfoFile: _buildInfo,
    ...options
  } = parsed.options;
  return {
    ...options,
    noEmit: true,
    allowImportingTsExtensions: true,
    composite: false,
    incremental: false,
    declaration: false,
    emitDeclarationOnly: false,
    isolatedDeclarations: false,
  };
}

/** The source text of the JSDoc block right above `node`, without the ` * ` margins. */
function jsDocText(node: ts.Node): string | undefined {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const doc = docs.at(-1);
  if (doc === undefined) return undefined;
  const text = node.getSourceFile().text.slice(doc.getStart(), doc.end);
  return text
    .replace(/^\/\*\*\s?/, '')
    .replace(/\*\/$/, '')
    .replace(/^[ \t]*\* ?/gm, '');
}

/** The ```ts blocks of each `@example`; undefined when there is no `@example`. */
function exampleBlocks(doc: string | undefined, where: string, problems: string[]) {
  const tag = /^[ \t]*@example\b/m;
  if (doc === undefined || !tag.test(doc)) return undefined;
  const blocks: string[] = [];
  for (const part of doc.split(new RegExp(tag, 'gm')).slice(1)) {
    const found = [...part.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
    if (found.length === 0) problems.push(`${where}: an @example without a \`\`\`ts block`);
    blocks.push(...found);
  }
  return blocks;
}

/** The JSDoc host of an export: its declaration, or the `export * as x` line for a namespace. */
function documentedNode(alias: ts.Symbol, target: ts.Symbol): ts.Node | undefined {
  const declaration = target.declarations?.[0];
  if (declaration !== undefined && !ts.isSourceFile(declaration)) return declaration;
  const namespaceExport = alias.declarations?.find(ts.isNamespaceExport);
  return namespaceExport?.parent;
}

function isTypeOnlyExport(alias: ts.Symbol): boolean {
  return (alias.declarations ?? []).some(
    (declaration) =>
      (ts.isExportSpecifier(declaration) &&
        (declaration.isTypeOnly || declaration.parent.parent.isTypeOnly)) ||
      (ts.isNamespaceExport(declaration) && declaration.parent.isTypeOnly),
  );
}

const RUNTIME = ts.SymbolFlags.Value;

function formatDiagnostic(diagnostic: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (diagnostic.file === undefined || diagnostic.start === undefined) return message;
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${basename(diagnostic.file.fileName)}:${line + 1}: ${message}`;
}

/**
 * Finds the `@example`s of everything the entries export, writes each as a runnable file
 * under `node_modules/.cache/doc-examples` of the package, and type-checks them.
 */
export function collectDocExamples(options: DocExamplesOptions): DocExampleCollection {
  const packageDir =
    typeof options.packageDir === 'string' ? options.packageDir : fileURLToPath(options.packageDir);
  const entries = Object.fromEntries(
    Object.entries(options.entries).map(([specifier, file]) => [
      specifier,
      isAbsolute(file) ? file : resolve(packageDir, file),
    ]),
  );
  const tsOptions = compilerOptions(join(packageDir, options.tsconfig ?? 'tsconfig.tools.json'));
  const sources = ts.createProgram({ rootNames: Object.values(entries), options: tsOptions });
  const checker = sources.getTypeChecker();

  const problems: string[] = [];
  const undocumented: Record<string, string[]> = {};
  const byDeclaration = new Map<ts.Node, { name: string; entries: string[]; blocks: string[] }>();
  for (const [specifier, file] of Object.entries(entries)) {
    const sourceFile = sources.getSourceFile(file);
    const moduleSymbol = sourceFile && checker.getSymbolAtLocation(sourceFile);
    if (moduleSymbol === undefined) throw new Error(`${specifier}: cannot load ${file}`);
    undocumented[specifier] = [];
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const target =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const isRuntime = (target.flags & RUNTIME) !== 0 && !isTypeOnlyExport(exported);
      const node = documentedNode(exported, target);
      const known = node && byDeclaration.get(node);
      if (known) {
        known.entries.push(specifier);
        continue;
      }
      const where = node
        ? `${relative(packageDir, node.getSourceFile().fileName)}:${
            node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1
          }`
        : specifier;
      const blocks = node && exampleBlocks(jsDocText(node), where, problems);
      if (node === undefined || blocks === undefined) {
        if (isRuntime) undocumented[specifier]?.push(exported.name);
        continue;
      }
      byDeclaration.set(node, { name: exported.name, entries: [specifier], blocks });
    }
  }

  const outDir = join(packageDir, 'node_modules', '.cache', 'doc-examples');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const examples: DocExample[] = [];
  // In entry order, then in source order.
  const entryOrder = Object.keys(entries);
  const declarations = [...byDeclaration].sort(
    ([a, first], [b, second]) =>
      entryOrder.indexOf(first.entries[0] ?? '') - entryOrder.indexOf(second.entries[0] ?? '') ||
      a.getSourceFile().fileName.localeCompare(b.getSourceFile().fileName) ||
      a.pos - b.pos,
  );
  for (const [node, { name, entries: exporters, blocks }] of declarations) {
    const sourceFile = node.getSourceFile();
    const line = sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    blocks.forEach((code, index) => {
      const suffix = blocks.length > 1 ? ` #${index + 1}` : '';
      const id = `${exporters[0]} › ${name}${suffix}`;
      const file = join(outDir, `${id.replace(/[^\w]+/g, '-').replace(/^-+|-+$/g, '')}.ts`);
      let runnable: string;
      try {
        runnable = toRunnable(code, entries);
      } catch (error) {
        problems.push(`${id}: ${(error as Error).message}`);
        return;
      }
      writeFileSync(file, runnable);
      examples.push({
        id,
        name,
        entries: exporters,
        location: `${relative(packageDir, sourceFile.fileName)}:${line}`,
        code,
        runnable,
        file,
        diagnostics: [],
      });
    });
  }

  // One program for all examples, reusing the one that read the sources.
  const checked = ts.createProgram({
    rootNames: examples.map((example) => example.file),
    options: tsOptions,
    oldProgram: sources,
  });
  for (const example of examples) {
    const sourceFile = checked.getSourceFile(example.file);
    example.diagnostics = [
      ...checked.getSyntacticDiagnostics(sourceFile),
      ...checked.getSemanticDiagnostics(sourceFile),
    ].map(formatDiagnostic);
  }
  return { examples, undocumented, problems };
}

/** Runs an example (already written to `example.file`) as `rule` says; rejects when it fails. */
export async function runDocExample(
  example: Pick<DocExample, 'file' | 'runnable'>,
  rule: Omit<DocExampleRule, 'reason' | 'compileOnly'> = {},
): Promise<void> {
  const fixture = (await rule.setup?.()) ?? {};
  let file = example.file;
  try {
    const replacements = Object.entries(fixture.replace ?? {});
    if (replacements.length > 0) {
      let code = example.runnable;
      for (const [search, replacement] of replacements) {
        if (!code.includes(search)) throw new Error(`the example does not contain ${search}`);
        code = code.replaceAll(search, replacement);
      }
      file = join(dirname(example.file), `run-${basename(example.file)}`);
      writeFileSync(file, code);
    }
    if (rule.execute) {
      for (const { actual, expected, source } of await rule.execute(file)) {
        expect(actual, source).toEqual(expected);
      }
      return;
    }
    const global = globalThis as Record<string, unknown>;
    global[CHECK_GLOBAL] = (actual: unknown, expected: unknown, source: string) =>
      expect(actual, source).toEqual(expected);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ `${file}?t=${Date.now()}`);
    } finally {
      log.mockRestore();
      delete global[CHECK_GLOBAL];
    }
  } finally {
    await fixture.teardown?.();
  }
}

/**
 * Registers the tests of a package's JSDoc examples: every runtime export of every entry has
 * an `@example`; every example type-checks against the sources; every example runs (its
 * `expression; // literal` lines hold) unless a rule marks it compile-only, with a reason.
 *
 * @example
 * ```ts
 * // packages/otp/test/doc-examples.test.ts
 * import { describeDocExamples } from '@twofold/testing/doc-examples';
 * describeDocExamples({
 *   packageDir: new URL('..', import.meta.url),
 *   entries: { '@twofold/otp': 'src/index.ts', '@twofold/otp/node': 'src/node.ts' },
 * });
 * ```
 */
export function describeDocExamples(options: DocExamplesOptions): void {
  const rules = options.rules ?? {};
  describe('JSDoc examples', () => {
    const { examples, undocumented, problems } = collectDocExamples(options);

    it.each(Object.entries(undocumented))(
      'every runtime export of %s has an @example',
      (_, names) => {
        expect(names).toEqual([]);
      },
    );

    it('are well-formed, and every rule matches an example', () => {
      const named = new Set(examples.map((example) => example.name));
      const stale = Object.keys(rules).filter((name) => !named.has(name));
      expect({ problems, rulesWithoutExample: stale }).toEqual({
        problems: [],
        rulesWithoutExample: [],
      });
    });

    for (const example of examples) {
      const rule = rules[example.name];
      const title = rule?.compileOnly
        ? `${example.id} type-checks (compile-only: ${rule.reason})`
        : `${example.id} type-checks and runs${rule ? ` (${rule.reason})` : ''}`;
      it(title, { timeout: 60_000 }, async () => {
        expect(example.diagnostics, `${example.location}\n${example.code}`).toEqual([]);
        if (rule?.compileOnly) return;
        await runDocExample(example, rule);
      });
    }
  });
}

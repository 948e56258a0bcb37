/**
 * A built-in module of the runtime (`node:crypto`, `node:os`) where it has them — Node 20.16+,
 * Bun, Deno — through `process.getBuiltinModule` rather than an import, so browser bundles of
 * the core (the mock runs it in a page) never see a `node:` specifier. Undefined elsewhere.
 */
export function runtimeBuiltin<Module>(id: `node:${string}`): Module | undefined {
  const runtime = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
  return runtime.process?.getBuiltinModule?.(id) as Module | undefined;
}

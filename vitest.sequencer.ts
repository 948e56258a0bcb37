import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest (child processes, builds, npm, Chromium), slowest first, as
 * measured on the 2-core machines. Vitest orders by the durations of an earlier run when it has
 * them; a fresh clone (CI) has none, and its fallback (projects in name order) would leave the
 * consumer test running alone at the end.
 */
const SLOW_FIRST = [
  'apps/server/test/start.test.ts',
  'packages/conformance/test/conformance.test.ts',
  'scripts/consumer/consumer.test.ts',
  'packages/server/test/stores.test.ts',
  'apps/server/test/passkeys-browser.test.ts',
  'apps/server/test/durability.test.ts',
];

/** Vitest's order, with the known slow files moved to the front. */
export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = SLOW_FIRST.indexOf(relative(process.cwd(), file.moduleId));
      return index === -1 ? SLOW_FIRST.length : index;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './vitest.sequencer.js';
import SummaryReporter from './vitest.summary-reporter.js';

// Workspace packages resolve to their TypeScript sources (the `@twofold/source` export
// condition), so tests need no build.
const conditions = ['@twofold/source', ...defaultServerConditions];

// The RFC vectors and the crate's recorded answers live in `shared/` beside the repository. Without
// them a run would load some test files and fail others ("272 passed, 1 failed" while whole files
// never ran), so the run stops here, before any test, with one sentence saying what to do.
const sharedDir =
  process.env.TWOFOLD_SHARED_DIR ?? fileURLToPath(new URL('../shared', import.meta.url));
const sharedFiles = ['vectors/otp-vectors.json', 'spec/auth-framework-responses.json'];
const missing = sharedFiles.filter((file) => !existsSync(`${sharedDir}/${file}`));
if (missing.length > 0) {
  console.error(
    `Tests need the shared test data (${missing.join(', ')}) in ${sharedDir}: clone the repository next to shared/ or set TWOFOLD_SHARED_DIR to that folder.`,
  );
  process.exit(1);
}

/** Every package and app with a package.json is its own vitest project. */
const projects = ['packages', 'apps'].flatMap((group) =>
  readdirSync(group, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(`${group}/${entry.name}/package.json`))
    .map((entry) => ({
      extends: true as const,
      test: { name: `${group}/${entry.name}`, root: `${group}/${entry.name}` },
    })),
);
// The root scripts' tests (pack:all and the consumer test that installs its tarballs with npm).
projects.push({ extends: true as const, test: { name: 'scripts', root: 'scripts' } });

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects,
    reporters: ['default', new SummaryReporter()],
    // Vitest's default is one worker per core but one (2 - 1 on the 2-core machines). Many test
    // files mostly wait (child processes, Chromium, PostgreSQL, npm), so two keep both cores busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: SlowFirstSequencer },
  },
});

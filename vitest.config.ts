import { existsSync, readdirSync } from 'node:fs';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import SummaryReporter from './vitest.summary-reporter.js';

// Workspace packages resolve to their TypeScript sources (the `@twofold/source` export
// condition), so tests need no build.
const conditions = ['@twofold/source', ...defaultServerConditions];

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
  test: { projects, reporters: ['default', new SummaryReporter()] },
});

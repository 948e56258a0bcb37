import { defineConfig } from 'vitest/config';
import SummaryReporter from './vitest.summary-reporter.js';

// Every folder under packages/ (and later apps/) is its own vitest project; `pnpm test` runs
// them all.
export default defineConfig({
  test: {
    projects: ['packages/*'],
    reporters: ['default', new SummaryReporter()],
  },
});

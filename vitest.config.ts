import { defineConfig } from 'vitest/config';

// Every folder under packages/ and apps/ is its own vitest project; `pnpm test` runs them all.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});

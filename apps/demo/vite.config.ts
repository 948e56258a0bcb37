import { defineConfig } from 'vite';

// A static app: one HTML page, its script and stylesheet as files (no inline script, so the
// server's Content-Security-Policy can forbid inline code).
export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig, type Plugin } from 'vite';

/** MSW's worker script, as @twofold/mock ships it (the offline mode registers it at /). */
const workerScript = () =>
  readFileSync(
    createRequire(import.meta.url).resolve('@twofold/mock/mockServiceWorker.js'),
    'utf8',
  );

/** Serves the worker script on the dev server and writes it beside index.html in a build. */
const mockServiceWorker: Plugin = {
  name: 'twofold-mock-service-worker',
  configureServer(server) {
    server.middlewares.use('/mockServiceWorker.js', (_request, response) => {
      response.setHeader('Content-Type', 'text/javascript');
      response.end(workerScript());
    });
  },
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'mockServiceWorker.js', source: workerScript() });
  },
};

// A static app: one HTML page, its script and stylesheet as files (no inline script, so the
// server's Content-Security-Policy can forbid inline code).
export default defineConfig({
  plugins: [mockServiceWorker],
  // The offline chunk (the mock's server core, ~550 KB before gzip) is loaded only with ?mock.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1_000 },
});

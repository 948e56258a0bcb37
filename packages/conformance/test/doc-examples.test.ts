import { createTwofoldServer, scryptPasswordHasher } from '@twofold/server';
import { serve } from '@twofold/server/node';
import { describeDocExamples } from '@twofold/testing/doc-examples';

// Every JSDoc example runs against the sources (see @twofold/testing); the one that runs the
// suite gets the reference server over HTTP on a free port in place of 127.0.0.1:8787.

describeDocExamples({
  packageDir: new URL('..', import.meta.url),
  entries: { '@twofold/conformance': 'src/index.ts' },
  rules: {
    runConformance: {
      reason: 'against the reference server served in-process on a free port',
      async setup() {
        const server = createTwofoldServer({
          secret: 'conformance doc example secret, 32+ bytes',
          encryptionKey: 'conformance doc example encryption key, 32+ bytes',
          mode: 'development',
          passwordHasher: scryptPasswordHasher({ logN: 8, r: 8, p: 1 }),
          logger: { info: () => {}, warn: () => {}, error: () => {} },
        });
        const running = await serve(server, { port: 0, handleSignals: false });
        return {
          replace: { 'http://127.0.0.1:8787': running.url },
          teardown: () => running.close(),
        };
      },
    },
  },
});

import { describeDocExamples } from '@twofold/testing/doc-examples';

// Every JSDoc example of every entry point runs against the sources (see @twofold/testing).
describeDocExamples({
  packageDir: new URL('..', import.meta.url),
  entries: {
    '@twofold/otp': 'src/index.ts',
    '@twofold/otp/sha1': 'src/sha1.ts',
    '@twofold/otp/node': 'src/node.ts',
  },
});

import { describeDocExamples } from '@twofold/testing/doc-examples';

// Every JSDoc example runs against the sources (see @twofold/testing).
describeDocExamples({
  packageDir: new URL('..', import.meta.url),
  entries: { '@twofold/contract': 'src/index.ts' },
});

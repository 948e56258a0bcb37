export {
  collectDocExamples,
  type DocExample,
  type DocExampleCheck,
  type DocExampleCollection,
  type DocExampleFixture,
  type DocExampleRule,
  type DocExamplesOptions,
  describeDocExamples,
  isLiteralComment,
  runDocExample,
  toRunnable,
} from './doc-examples.js';

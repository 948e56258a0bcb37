// @twofold/testing: the one test kit of the repository (private, never published). Imported by
// tests, benches and test fixtures only — never by a package's src. The heavy parts have their
// own entries, so a test pays for TypeScript or Chromium only when it uses them:
// `@twofold/testing/doc-examples` (the JSDoc example runner) and `@twofold/testing/browser`.

/** The software authenticator of `@twofold/mock/authenticator`, for server-side passkey tests. */
export { createSoftwareAuthenticator } from '@twofold/mock/authenticator';
export {
  appFromSource,
  pnpm,
  type RunningApp,
  repoRoot,
  run,
  runTypeScript,
  startApp,
  stopApp,
  type TestProcess,
} from './app-process.js';
export {
  type AnyBody,
  type HttpDriver,
  httpDriver,
  type MfaEnrolment,
  PASSWORD,
  uniqueName,
} from './http-driver.js';
export {
  type InProcessServer,
  type InProcessServerOptions,
  inProcessServer,
  quietLogger,
  TEST_ENCRYPTION_KEY,
  TEST_SECRET,
  testServerOptions,
} from './in-process-server.js';
export { seedPGliteDirectory } from './pglite-template.js';
export {
  announceNotRun,
  databaseUrl,
  dropSchemas,
  freshDatabase,
  postgresAvailable,
  postgresReachableAt,
  uniqueSchema,
} from './postgres-env.js';
export { withRepoLock } from './repo-lock.js';
export { describeSdkChallengeRules } from './sdk-challenge-suite.js';
export { describeSdkFlows, type SdkTarget, uniqueUser } from './sdk-flow-suite.js';
export { temporaryPGliteStore, temporaryPostgresStore } from './sql-test-stores.js';
export { appDataDirectory, temporaryDirectory } from './temporary-directory.js';
export { type TestClock, testClock } from './test-clock.js';

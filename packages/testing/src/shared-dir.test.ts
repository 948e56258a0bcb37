import { expect, it } from 'vitest';
import { repoRoot, run } from './app-process.js';

// A contributor's clone without ../shared: the run must stop before loading any test file, with
// one sentence, instead of reporting a partial run as mostly passing.
it('a test run without the shared test data stops at once with one sentence', async () => {
  const child = run(
    process.execPath,
    [`${repoRoot}node_modules/vitest/vitest.mjs`, 'run', '--project', 'packages/otp'],
    { env: { TWOFOLD_SHARED_DIR: `${repoRoot}no-such-shared-dir` } },
  );
  try {
    expect(await child.exit(60_000)).toBe(1);
    const { stdout, stderr } = child.output();
    expect(stderr.trim()).toBe(
      `Tests need the shared test data (vectors/otp-vectors.json, spec/auth-framework-responses.json) in ${repoRoot}no-such-shared-dir: clone the repository next to shared/ or set TWOFOLD_SHARED_DIR to that folder.`,
    );
    // Nothing ran: no test file was loaded, so there is no partial tally to misread.
    expect(stdout).not.toMatch(/passed|failed/);
  } finally {
    child.signal('SIGKILL');
  }
}, 70_000);

import { onTestFinished } from 'vitest';

/**
 * Runs `cleanUp` when the current test ends, however it ends — including by vitest's timeout,
 * which abandons the test body so its `finally` never runs. Outside a test (a `beforeAll`, a
 * script) nothing is registered: the caller's own `afterAll` or `finally` stays in charge.
 */
export function cleanUpAtTestEnd(cleanUp: () => unknown): void {
  try {
    onTestFinished(async () => {
      await cleanUp();
    });
  } catch {
    // Not inside a running test (vitest refuses the hook there); `expect.getState()` cannot
    // tell, since it still names the last test while a later `beforeAll` runs.
  }
}

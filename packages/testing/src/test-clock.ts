/** Where fixed test clocks start: a moment no test depends on, the same for every run. */
export const TEST_EPOCH: number = Date.UTC(2026, 10, 21, 12, 0, 0);

/** A clock a test moves by hand: the server's `now`, the stores' TTLs and the codes follow it. */
export interface TestClock {
  now(): number;
  /** Jumps to `ms` (epoch milliseconds). */
  set(ms: number): void;
  /** Moves by `ms` (negative moves back). */
  advance(ms: number): void;
}

export interface TestClockOptions {
  /** Fixed clocks start here; default {@link TEST_EPOCH}. */
  start?: number;
  /**
   * Follow the real time plus what `advance`/`set` added, instead of standing still: for a
   * server that something outside the test also talks to with real-time TOTP codes (a CLI run,
   * a browser page), while the test can still move its clock forward.
   */
  realTime?: boolean;
}

/**
 * The one settable clock of the tests (in-process servers, stores, conformance targets), so
 * expiry can be tested without waiting.
 *
 * @example
 * ```ts
 * const clock = testClock();
 * clock.advance(5 * 60_000 + 1_000); // past a login challenge's 5 minutes
 * ```
 */
export function testClock(options: TestClockOptions = {}): TestClock {
  if (options.realTime) {
    let offset = options.start === undefined ? 0 : options.start - Date.now();
    return {
      now: () => Date.now() + offset,
      set: (ms) => {
        offset = ms - Date.now();
      },
      advance: (ms) => {
        offset += ms;
      },
    };
  }
  let now = options.start ?? TEST_EPOCH;
  return {
    now: () => now,
    set: (ms) => {
      now = ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

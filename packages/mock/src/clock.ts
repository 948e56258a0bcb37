/** The mock server's clock: real time plus an offset you control; it keeps ticking. */
export interface MockClock {
  /** Milliseconds since the epoch, as the server core sees it. */
  now(): number;
  /** Makes the clock read `ms` now (and tick on from there). */
  set(ms: number): void;
  /** Moves the clock forward (or back, with a negative value). */
  advance(ms: number): void;
  /** Back to real time. */
  reset(): void;
}

/**
 * A clock that ticks with `performance.now()`, so code that fakes `Date` (vitest's fake timers,
 * for instance) does not move it twice.
 */
export function createMockClock(): MockClock {
  const origin = Date.now() - performance.now();
  let offset = 0;
  const real = () => origin + performance.now();
  return {
    now: () => Math.floor(real() + offset),
    set(ms) {
      offset = ms - real();
    },
    advance(ms) {
      offset += ms;
    },
    reset() {
      offset = 0;
    },
  };
}

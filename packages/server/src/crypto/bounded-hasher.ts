import type { PasswordHasher } from './password-hasher.js';

/** Thrown when the hashes waiting already would keep one more waiting for seconds. */
export class HasherBusyError extends Error {
  constructor() {
    super('too many password hashes waiting');
    this.name = 'HasherBusyError';
  }
}

/** The longest a password check may expect to wait for its turn. */
const MAX_WAIT_MS = 5_000;

/**
 * Runs at most `max` hashes at once; the rest wait their turn while the expected wait (hashes
 * ahead × their recent average time ÷ `max`) stays under `maxWaitMs`. Past it `HasherBusyError`,
 * which the server answers with `SERVICE_UNAVAILABLE` at once, instead of a wait of tens of
 * seconds that slows every other request too. A password KDF is memory-hard on purpose (scrypt at
 * N=2^17 takes 128 MiB per hash), and login is unauthenticated: without a bound, a burst of
 * logins would exhaust the server's memory.
 */
export function boundedHasher(
  hasher: PasswordHasher,
  max: number,
  maxWaitMs = MAX_WAIT_MS,
): PasswordHasher {
  let running = 0;
  /** Recent average time of one hash, in ms (0 until one has run: nothing is refused). */
  let averageMs = 0;
  const waiting: (() => void)[] = [];
  async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running >= max) {
      if (((waiting.length + 1) * averageMs) / max > maxWaitMs) throw new HasherBusyError();
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    running++;
    const started = Date.now();
    try {
      return await task();
    } finally {
      const took = Date.now() - started;
      averageMs = averageMs === 0 ? took : 0.8 * averageMs + 0.2 * took;
      running--;
      waiting.shift()?.();
    }
  }
  return {
    hash: (password) => run(() => hasher.hash(password)),
    verify: (password, stored) => run(() => hasher.verify(password, stored)),
  };
}

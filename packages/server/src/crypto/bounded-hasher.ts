import type { PasswordHasher } from './password-hasher.js';

/**
 * Runs at most `max` hashes at once; the rest wait their turn. A password KDF is memory-hard on
 * purpose (scrypt at N=2^17 takes 128 MiB per hash), and login is unauthenticated: without a
 * bound, a burst of logins would exhaust the server's memory.
 */
export function boundedHasher(hasher: PasswordHasher, max: number): PasswordHasher {
  let running = 0;
  const waiting: (() => void)[] = [];
  async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  }
  return {
    hash: (password) => run(() => hasher.hash(password)),
    verify: (password, stored) => run(() => hasher.verify(password, stored)),
  };
}

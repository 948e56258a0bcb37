import { equalBit, truncate, writeCounter } from './otp-value.js';

/**
 * Computes the code of every counter from `first` to `last` and compares each with `given`
 * without an early exit or a data-dependent branch, so the time taken does not say which
 * candidate (if any) matched. Returns the highest matching counter, or -1.
 */
export function scanCounters(
  mac: (message: Uint8Array) => Uint8Array,
  digits: number,
  given: number,
  first: number,
  last: number,
): number {
  const message = new Uint8Array(8);
  let found = 0;
  let matched = 0;
  for (let counter = first; counter <= last; counter++) {
    writeCounter(message, counter);
    const equal = equalBit(truncate(mac(message), digits), given);
    found |= equal;
    matched += equal * (counter - matched);
  }
  return found === 1 ? matched : -1;
}

import type { CheckContext } from './context.js';

/** Which rules a target is held to. */
export type Profile = 'twofold' | 'auth-framework';

/** Profiles of a check that holds for the crate too, and of a Twofold-only rule. */
export const BOTH: readonly Profile[] = ['twofold', 'auth-framework'];
export const TWOFOLD: readonly Profile[] = ['twofold'];

/** One black-box check, named after the spec clause it checks. */
export interface Check {
  /** e.g. `mfa.verify.replay-rejected` */
  id: string;
  /** The spec clause, e.g. `§3 rule 1`. */
  clause: string;
  /** Profiles the check applies to; under the others it is reported "not applicable". */
  profiles: readonly Profile[];
  /**
   * How many refused codes (failed attempts, spec §3 rule 3) the check makes from its client
   * address, at most; 0 when absent. The runner runs the cheap checks first, so a budget that
   * earlier runs from the same address left short is spent last.
   */
  spends?: number;
  run(context: CheckContext): Promise<void>;
}

/**
 * A check's verdict: thrown by a check that found the target breaking its clause; the runner
 * reports it as `fail` with the message as the reason. Internal to the suite.
 */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
}

/**
 * Thrown when the target cannot support a check (no clock control, no outbox, …); the runner
 * reports it as `not-applicable` with the message as the reason. Internal to the suite.
 */
export class NotApplicable extends Error {
  override name = 'NotApplicable';
}

/**
 * Thrown where a check met `RATE_LIMITED` it did not provoke, against a target that counts
 * every check's attempts against one address: the address's failed-attempt budget is spent,
 * by this run's earlier checks or by earlier runs. Reported as `not-applicable`, never `fail`.
 */
export class AddressBudgetSpent extends NotApplicable {
  override name = 'AddressBudgetSpent';
  constructor(retryAfter: string | null, what: string) {
    super(
      `${what}: RATE_LIMITED — this address's failed-attempt budget (50 per 15 minutes, spec §3 rule 3) is spent (by this run's earlier checks, or by earlier runs from this address within 15 minutes); it renews in ${retryAfter ?? '?'} s (Retry-After). Run again then, or with --distinct-clients behind a trusted proxy`,
    );
  }
}

/** Fails the check with `reason` unless `condition` holds. */
export function ensure(condition: unknown, reason: string): asserts condition {
  if (!condition) throw new CheckFailure(reason);
}

/** Structural equality of JSON-like values (key order ignored, `undefined` members ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const aKeys = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bKeys = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    aKeys.length === bKeys.length &&
    aKeys.every((key) =>
      jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    )
  );
}

export const show = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

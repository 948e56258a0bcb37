import { CheckFailure, NotApplicable } from './check.js';
import { CHECKS } from './checks/index.js';
import { CheckContext, type Target } from './context.js';

export type Outcome = 'pass' | 'fail' | 'not-applicable';

export interface CheckResult {
  id: string;
  clause: string;
  outcome: Outcome;
  /** Why it failed, or why it does not apply. */
  reason?: string;
  durationMs: number;
}

export interface Report {
  profile: string;
  baseUrl: string;
  results: CheckResult[];
  summary: { passed: number; failed: number; notApplicable: number };
}

export interface RunOptions {
  /** Only checks whose id starts with one of these. */
  only?: readonly string[];
  /** Called after each check, for live output. */
  onResult?: (result: CheckResult) => void;
}

/**
 * Runs the contract suite against a target and reports every check: pass, fail with the
 * reason, or not applicable (a Twofold-only rule under the auth-framework profile, or a power
 * the target does not offer, such as clock control).
 *
 * @example
 * ```ts
 * import { formatSummary, runConformance } from '@twofold/conformance';
 * const report = await runConformance({ baseUrl: 'http://127.0.0.1:8787' }, { only: ['envelope.', 'auth.'] });
 * report.summary.failed; // 0
 * report.summary.passed > 0; // true
 * console.log(formatSummary(report)); // N passed, 0 failed, N not applicable
 * ```
 */
export async function runConformance(target: Target, options: RunOptions = {}): Promise<Report> {
  const profile = target.profile ?? 'twofold';
  const results: CheckResult[] = [];
  const checks = CHECKS.filter(
    (check) =>
      options.only === undefined || options.only.some((prefix) => check.id.startsWith(prefix)),
  )
    // Cheapest first (stable): what earlier runs left of the address's failed-attempt budget
    // goes to as many checks as it covers.
    .sort((a, b) => (a.spends ?? 0) - (b.spends ?? 0));
  for (const [index, check] of checks.entries()) {
    const started = Date.now();
    let result: CheckResult;
    if (!check.profiles.includes(profile)) {
      result = {
        id: check.id,
        clause: check.clause,
        outcome: 'not-applicable',
        reason: `Twofold rule, not part of the ${profile} profile`,
        durationMs: 0,
      };
    } else {
      try {
        await check.run(new CheckContext(target, index));
        result = {
          id: check.id,
          clause: check.clause,
          outcome: 'pass',
          durationMs: Date.now() - started,
        };
      } catch (error) {
        const outcome: Outcome = error instanceof NotApplicable ? 'not-applicable' : 'fail';
        const reason =
          error instanceof CheckFailure || error instanceof NotApplicable
            ? error.message
            : `threw ${String(error)}`;
        result = {
          id: check.id,
          clause: check.clause,
          outcome,
          reason,
          durationMs: Date.now() - started,
        };
      }
    }
    results.push(result);
    options.onResult?.(result);
  }
  const count = (outcome: Outcome) => results.filter((result) => result.outcome === outcome).length;
  return {
    profile,
    baseUrl: target.baseUrl,
    results,
    summary: {
      passed: count('pass'),
      failed: count('fail'),
      notApplicable: count('not-applicable'),
    },
  };
}

/**
 * One line per check, as the CLI prints it.
 *
 * @example
 * ```ts
 * import { formatResult } from '@twofold/conformance';
 * formatResult({ id: 'mfa.verify.replay-rejected', clause: '§3 rule 1', outcome: 'fail', reason: 'answered 200', durationMs: 4 }); // 'FAIL  mfa.verify.replay-rejected  (§3 rule 1) — answered 200'
 * ```
 */
export function formatResult(result: CheckResult): string {
  const label = result.outcome === 'pass' ? 'pass' : result.outcome === 'fail' ? 'FAIL' : 'n/a ';
  return `${label}  ${result.id}  (${result.clause})${result.reason ? ` — ${result.reason}` : ''}`;
}

/**
 * `N passed, N failed, N not applicable`
 *
 * @example
 * ```ts
 * import { formatSummary } from '@twofold/conformance';
 * formatSummary({ profile: 'twofold', baseUrl: 'http://127.0.0.1:8787', results: [], summary: { passed: 60, failed: 1, notApplicable: 3 } }); // '60 passed, 1 failed, 3 not applicable'
 * ```
 */
export function formatSummary(report: Report): string {
  const { passed, failed, notApplicable } = report.summary;
  return `${passed} passed, ${failed} failed, ${notApplicable} not applicable`;
}

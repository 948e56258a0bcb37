import type { Check } from '../check.js';
import { authChecks } from './auth.js';
import { concurrencyChecks } from './concurrency.js';
import { emailChecks } from './email.js';
import { envelopeChecks } from './envelope.js';
import { limitChecks } from './limits.js';
import { loginChallengeChecks } from './login-challenge.js';
import { mfaChecks } from './mfa.js';
import { passkeyChecks, passkeyConcurrencyChecks } from './passkeys.js';
import { recoveryChecks } from './recovery.js';
import { takeoverChecks } from './takeover.js';

/**
 * Every check, in run order. Attempt-heavy checks come last, so on a target that cannot tell
 * the suite's checks apart by client address they are the ones a per-address limit would hit.
 *
 * @example
 * ```ts
 * import { CHECKS } from '@twofold/conformance';
 * CHECKS.find((check) => check.id === 'mfa.verify.replay-rejected')?.clause; // '§3 rule 1'
 * ```
 */
export const CHECKS: readonly Check[] = [
  ...envelopeChecks,
  ...authChecks,
  ...loginChallengeChecks,
  ...mfaChecks,
  ...takeoverChecks,
  ...recoveryChecks,
  ...emailChecks,
  ...passkeyChecks,
  ...limitChecks,
  ...concurrencyChecks,
  ...passkeyConcurrencyChecks,
];

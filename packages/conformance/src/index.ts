export type { Check, Profile } from './check.js';
export { CHECKS } from './checks/index.js';
export type { ClockControl, Target } from './context.js';
export {
  type CheckResult,
  formatResult,
  formatSummary,
  type Outcome,
  type Report,
  type RunOptions,
  runConformance,
} from './runner.js';
export type {
  AuthenticatorFactory,
  PasskeyAuthenticator,
  PasskeyAuthenticatorOptions,
  WebAuthnTarget,
} from './webauthn-target.js';

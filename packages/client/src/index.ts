export type { ChallengeMethod, MfaMethod } from '@twofold/contract';
export {
  type Authenticated,
  type ClientOptions,
  createClient,
  type FactorProof,
  type MfaRequired,
  type MfaSetup,
  type MfaStatus,
  type Signal,
  type StepUpProof,
  type TwofoldClient,
  type VerificationSent,
} from './client.js';
export {
  type ChallengeRefusal,
  isKnownErrorCode,
  isTwofoldError,
  type KnownErrorCode,
  type LocalErrorCode,
  type PasskeyErrorCode,
  type TransportErrorCode,
  TwofoldError,
  type TwofoldErrorCode,
  type TwofoldErrorInit,
} from './errors.js';
export {
  memoryTokenStore,
  type Session,
  type TokenStore,
  type User,
  type WebStorage,
  webStorageTokenStore,
} from './session.js';
export type { RetryOptions } from './transport.js';
